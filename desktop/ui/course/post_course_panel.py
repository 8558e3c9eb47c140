"""After the last dose: the pregnancy tests still owed and whether each is done, and the
days until which contraception, no blood donation, no breastfeeding and no skin procedures
last, and the earliest next course (domain.md §1.7, §6), as `isotrack plan` counts them."""

from datetime import date

from PySide6.QtWidgets import QFormLayout, QGroupBox, QLabel, QWidget

from desktop.rules.pregnancy_tests import PregnancyTestPurpose
from desktop.services.course_overview import PostCourseStatus, PostCourseTest

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""Spelled out rather than by strftime, which follows the workstation's locale."""
TEST_ROWS = {
    PregnancyTestPurpose.END_OF_COURSE: ("end_of_course_test", "End-of-course pregnancy test"),
    PregnancyTestPurpose.POST_COURSE: ("post_course_test", "Pregnancy test 1 month after"),
}
UNTIL_ROWS = (
    ("contraception_until", "Contraception until"),
    ("no_blood_donation_until", "No blood donation until"),
    ("no_breastfeeding_until", "No breastfeeding until"),
    ("no_cosmetic_procedures_until", "No waxing, laser or skin procedures until"),
)
ROW_TITLES = {
    **dict(TEST_ROWS.values()),
    **dict(UNTIL_ROWS),
    "earliest_next_course": "Earliest next course",
}
"""Row name → its title, in the order shown."""


POSITIVE = "POSITIVE"


def day_text(day: date) -> str:
    """ "Mon 2027-01-04": the weekday helps plan a visit; the year, as these run past it."""
    return f"{WEEKDAYS[day.weekday()]} {day.isoformat()}"


def relative_words(day: date, today: date) -> str:
    days = (day - today).days
    if days == 0:
        return "today"
    if days == 1:
        return "tomorrow"
    if days == -1:
        return "yesterday"
    return f"in {days} days" if days > 0 else f"{-days} days ago"


def test_text(test: PostCourseTest, today: date) -> str:
    """Done, due or overdue; a positive result first of all (domain.md §1.7 hard stop)."""
    if test.positive_on is not None and (test.done_on is None or test.positive_on > test.done_on):
        return (
            f"{POSITIVE} (specimen {day_text(test.positive_on)}): tell the prescriber today "
            "(see the iPLEDGE tab)"
        )
    if test.done_on is not None:
        return f"Done: negative, specimen {day_text(test.done_on)}"
    if test.due_on < today:
        return f"Overdue since {day_text(test.due_on)}"
    return f"Due {day_text(test.due_on)} ({relative_words(test.due_on, today)})"


def until_text(day: date, today: date) -> str:
    """The last day the restriction applies, and whether it still does."""
    if day < today:
        return f"{day_text(day)} (over)"
    return f"{day_text(day)} ({relative_words(day, today)})"


def next_course_text(day: date, today: date) -> str:
    if day <= today:
        return f"{day_text(day)} (may start now)"
    return f"{day_text(day)} ({relative_words(day, today)})"


class PostCoursePanel(QGroupBox):
    """Filled by `show_status`; knows nothing of services. Rows that do not apply to the
    patient's risk category (tests, contraception) are hidden."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("After the course", parent)
        self.value_labels: dict[str, QLabel] = {}
        self._form = QFormLayout(self)
        for name, title in ROW_TITLES.items():
            label = QLabel(self)
            label.setWordWrap(True)
            label.setAccessibleName(title)
            self.value_labels[name] = label
            self._form.addRow(f"{title}:", label)

    def show_status(self, status: PostCourseStatus, today: date) -> None:
        duties = status.duties
        self.setTitle(f"After the course: last dose {day_text(duties.last_dose_on)}")
        texts: dict[str, str | None] = dict.fromkeys(ROW_TITLES)
        for test in status.tests:
            texts[TEST_ROWS[test.purpose][0]] = test_text(test, today)
        for name, _title in UNTIL_ROWS:
            until: date | None = getattr(duties, name)
            texts[name] = until_text(until, today) if until is not None else None
        texts["earliest_next_course"] = next_course_text(duties.earliest_next_course, today)
        for name, text in texts.items():
            label = self.value_labels[name]
            label.setText(text or "")
            self._form.setRowVisible(label, text is not None)
            _set_tone(label, "error" if text and text.startswith(POSITIVE) else "")

    def shown_rows(self) -> dict[str, str]:
        """Title → text of each row shown (what a nurse reads)."""
        return {
            ROW_TITLES[name]: label.text()
            for name, label in self.value_labels.items()
            if self._form.isRowVisible(label)
        }


def _set_tone(label: QLabel, name: str) -> None:
    """Object names select the style sheet's look; Qt re-reads it only when asked."""
    if label.objectName() != name:
        label.setObjectName(name)
        label.style().unpolish(label)
        label.style().polish(label)
