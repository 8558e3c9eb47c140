"""A typed date: YYYY-MM-DD (or US M/D/YYYY), with a real empty state.

Not a QDateEdit: an untouched QDateEdit shows 2000-01-01, which looks like a real date
of birth (TECH-NOTES §1.3). Here an empty box means "no date", and anything that is not
a whole date is reported as a problem rather than guessed.
"""

import re
from datetime import date

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLineEdit, QWidget

_ISO = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")
_US = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{2,4})")
FORMAT_PROBLEM = "Type the date as YYYY-MM-DD (or M/D/YYYY)."
SHORT_YEAR_PROBLEM = "Type the year with four digits, e.g. 3/14/2001."
NO_SUCH_DATE_PROBLEM = "There is no such date: check the day and month."
EARLIEST_YEAR = 1900
LATEST_YEAR = 2099
"""Any clinical date outside these years is a typing error ("0202", "20266"); far dates also
break date arithmetic downstream (a course starting 9999-12-31 overflowed the worklist)."""
YEAR_PROBLEM = f"Check the year: type a year from {EARLIEST_YEAR} to {LATEST_YEAR}."


def parse_date(text: str) -> tuple[date | None, str | None]:
    """The date typed in `text` and no problem, or None and the problem to show. Blank
    text is no date and no problem: whether a date is required is the form's business."""
    text = text.strip()
    if not text:
        return None, None
    if iso := _ISO.fullmatch(text):
        year, month, day = (int(part) for part in iso.groups())
    elif us := _US.fullmatch(text):
        if len(us.group(3)) != 4:
            return None, SHORT_YEAR_PROBLEM
        month, day, year = (int(part) for part in us.groups())
    else:
        return None, FORMAT_PROBLEM
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        return None, YEAR_PROBLEM
    try:
        return date(year, month, day), None
    except ValueError:
        return None, NO_SUCH_DATE_PROBLEM


class DateInput(QLineEdit):
    """Emits `date_edited` with the new `date | None` whenever the typed text changes."""

    date_edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setPlaceholderText("YYYY-MM-DD")
        # No maxLength: Qt cuts longer text silently, so " 2026-11-20" pasted became
        # "2026-11-2" and "2026-11-20T10:00" lost its time; whole text is judged instead.
        self.textChanged.connect(self._on_self_text_changed)

    def date_value(self) -> date | None:
        return parse_date(self.text())[0]

    def problem(self) -> str | None:
        return parse_date(self.text())[1]

    def set_date(self, value: date | None) -> None:
        self.setText("" if value is None else value.isoformat())

    def _on_self_text_changed(self, _text: str) -> None:
        self.date_edited.emit(self.date_value())
