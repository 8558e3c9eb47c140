"""First-course readiness for a patient who can get pregnant: screening test, contraception
lead time, the earliest confirmation test, and a missed first window (domain.md §1.3)."""

from collections.abc import Sequence

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop.rules.first_course import CONTRACEPTION_LEAD_DAYS, FirstCourseStatus
from desktop.rules.ipledge_rule_sets import SCREENING_TO_CONFIRMATION_MIN_DAYS
from desktop.rules.pregnancy_tests import PregnancyTest, PregnancyTestPurpose, latest_negative

READY = "✓"
NOT_READY = "✗"


def screening_words(status: FirstCourseStatus, tests: Sequence[PregnancyTest]) -> str:
    screening = latest_negative(tests, frozenset({PregnancyTestPurpose.SCREENING}))
    if status.has_screening_test and screening is not None:
        return f"{READY} Screening test negative, specimen {screening.specimen_on.isoformat()}"
    return f"{NOT_READY} Screening test: no negative screening test yet (in a medical setting)"


def contraception_words(status: FirstCourseStatus) -> str:
    if status.protected_since is None:
        return (
            f"{NOT_READY} Contraception: no acceptable contraception on record "
            "(two forms, or abstinence)"
        )
    return f"{READY} Contraception (or abstinence) since {status.protected_since.isoformat()}"


def earliest_words(status: FirstCourseStatus) -> str:
    return (
        f"Earliest confirmation test: {status.earliest_confirmation_test.isoformat()} "
        f"({SCREENING_TO_CONFIRMATION_MIN_DAYS} days after screening and "
        f"{CONTRACEPTION_LEAD_DAYS} days of contraception, clinic policy)"
    )


def confirmation_words(status: FirstCourseStatus) -> str:
    test = status.confirmation_test
    if test is None:
        return f"{NOT_READY} Confirmation test: not done yet"
    specimen = test.specimen_on.isoformat()
    if status.confirmation_too_early:
        return (
            f"{NOT_READY} Confirmation test of {specimen} was too early: repeat it on or after "
            f"{status.earliest_confirmation_test.isoformat()}"
        )
    return f"{READY} Confirmation test negative, specimen {specimen}"


def missed_window_words(status: FirstCourseStatus) -> str:
    if status.missed_window_closed_on is None or status.next_confirmation_test_not_before is None:
        return ""
    return (
        f"{NOT_READY} First fill window missed: it closed "
        f"{status.missed_window_closed_on.isoformat()}; the next confirmation test not before "
        f"{status.next_confirmation_test_not_before.isoformat()}"
    )


class FirstCoursePanel(QGroupBox):
    """Shown only before the first fill of a patient who can get pregnant."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("First course: ready for the first prescription?", parent)
        self.screening_label = QLabel(self)
        self.contraception_label = QLabel(self)
        self.earliest_label = QLabel(self)
        self.confirmation_label = QLabel(self)
        self.missed_label = QLabel(self)
        self.missed_label.setObjectName("error")
        layout = QVBoxLayout(self)
        for label in (
            self.screening_label,
            self.contraception_label,
            self.earliest_label,
            self.confirmation_label,
            self.missed_label,
        ):
            label.setWordWrap(True)
            layout.addWidget(label)

    def show_status(self, status: FirstCourseStatus, tests: Sequence[PregnancyTest]) -> None:
        self.screening_label.setText(screening_words(status, tests))
        self.contraception_label.setText(contraception_words(status))
        self.earliest_label.setText(earliest_words(status))
        self.confirmation_label.setText(confirmation_words(status))
        missed = missed_window_words(status)
        self.missed_label.setText(missed)
        self.missed_label.setVisible(bool(missed))
