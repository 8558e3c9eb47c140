"""Days without a dose, typed as dates and ranges: "2026-11-08, 11/12/2026 to 11/14/2026"."""

import re
from datetime import date, timedelta

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.ui.widgets.date_input import parse_date

MAX_RANGE_DAYS = 62
"""A longer range is more likely a typing error (a wrong month or year) than two months
of missed doses; a pause is the way to record a long break."""
SHOWN_DAYS = 6
_SEPARATORS = re.compile(r"[,;]")
_RANGE = re.compile(r"\s+to\s+|\s*\.\.\s*", re.IGNORECASE)
HINT = "Dates separated by commas; a range as 2026-11-08 to 2026-11-10."


def parse_days(text: str) -> tuple[tuple[date, ...], str | None]:
    """The distinct days typed, in order, and no problem; or () and the problem to show."""
    days: set[date] = set()
    for piece in (p.strip() for p in _SEPARATORS.split(text)):
        if not piece:
            continue
        ends = _RANGE.split(piece)
        if len(ends) > 2:
            return (), f"{piece!r}: a range has one start and one end."
        parsed = []
        for end in ends:
            day, problem = parse_date(end)
            if problem or day is None:
                return (), f"{end.strip()!r}: {problem or 'type a date.'}"
            parsed.append(day)
        first, last = parsed[0], parsed[-1]
        if last < first:
            return (), f"{piece!r}: the range ends before it starts."
        if (last - first).days >= MAX_RANGE_DAYS:
            return (), f"{piece!r} is more than {MAX_RANGE_DAYS} days; record a pause instead."
        days.update(first + timedelta(days=n) for n in range((last - first).days + 1))
    return tuple(sorted(days)), None


def days_summary(days: tuple[date, ...]) -> str:
    if not days:
        return "No missed days."
    listed = ", ".join(d.isoformat() for d in days[:SHOWN_DAYS])
    more = f" and {len(days) - SHOWN_DAYS} more" if len(days) > SHOWN_DAYS else ""
    return f"{len(days)} day{'s' if len(days) != 1 else ''}: {listed}{more}"


class MissedDaysInput(QWidget):
    """Emits `days_edited` with the tuple of days whenever the text changes (empty while
    the text cannot be read; `problem()` then says why)."""

    days_edited = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.dates_edit = QLineEdit()
        self.dates_edit.setPlaceholderText("e.g. 2026-11-08, 2026-11-12 to 2026-11-14")
        self.summary_label = QLabel(HINT)
        self.summary_label.setObjectName("hint")
        self.summary_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(self.dates_edit)
        layout.addWidget(self.summary_label)
        self.setFocusProxy(self.dates_edit)
        self.dates_edit.textChanged.connect(self._on_dates_edit_text_changed)

    def days(self) -> tuple[date, ...]:
        return parse_days(self.dates_edit.text())[0]

    def problem(self) -> str | None:
        return parse_days(self.dates_edit.text())[1]

    def _on_dates_edit_text_changed(self, text: str) -> None:
        days, problem = parse_days(text)
        if problem:
            self.summary_label.setText(problem)
        elif text.strip():
            self.summary_label.setText(days_summary(days))
        else:
            self.summary_label.setText(HINT)
        self.days_edited.emit(days)
