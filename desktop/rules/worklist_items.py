"""Worklist vocabulary: item kinds, status from dates, ordered severity, clinic settings."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desktop.rules.fill_window import PCNGP_WINDOW_DAYS_AFTER_MODIFICATION
from desktop.rules.ipledge_rule_sets import DEFAULT_MODIFICATION_EFFECTIVE_ON

UPCOMING_DAYS = 7
"""Clinic policy [P]: items due within the next 7 days are shown as "upcoming"."""
CLOSING_SOON_DAYS = 2
"""Clinic policy [P]: a fill window closing within 2 days is at least a warning; one that
closes today is urgent."""


class WorkKind(StrEnum):
    CONSENT_MISSING = "consent_missing"
    SCREENING_TEST = "screening_test"
    CONFIRMATION_TEST = "confirmation_test"
    PREGNANCY_TEST = "pregnancy_test"
    PREGNANCY_TEST_POSITIVE = "pregnancy_test_positive"
    CONTRACEPTION = "contraception"
    COUNSELING_CONFIRMATION = "counseling_confirmation"
    COMPREHENSION_QUESTIONS = "comprehension_questions"
    FILL_WINDOW_CLOSING = "fill_window_closing"
    LAB = "lab"
    VISIT = "visit"
    SAME_DAY_FOLLOW_UP = "same_day_follow_up"
    """A visit's PHQ-9 question 9 above 0 or a stop-and-call effect (domain.md §4.1, §4.2)."""
    END_OF_COURSE_PREGNANCY_TEST = "end_of_course_pregnancy_test"
    POST_COURSE_PREGNANCY_TEST = "post_course_pregnancy_test"


class ItemStatus(StrEnum):
    """Derived from the due date alone (`status_on`)."""

    UPCOMING = "upcoming"
    DUE = "due"
    OVERDUE = "overdue"


class Severity(StrEnum):
    """Ordered by `rank`: info < warning < urgent."""

    INFO = "info"
    WARNING = "warning"
    URGENT = "urgent"

    @property
    def rank(self) -> int:
        return _SEVERITY_RANK[self]


_SEVERITY_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.URGENT: 2}
_STATUS_RANK = {ItemStatus.UPCOMING: 0, ItemStatus.DUE: 1, ItemStatus.OVERDUE: 2}


@dataclass(frozen=True, slots=True)
class WorklistItem:
    """One thing to act on. `message` never names the patient; the caller adds name/MRN."""

    kind: WorkKind
    due_on: date
    status: ItemStatus
    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class Candidate:
    """An item before the day's status is known; `floor` is its least severity."""

    kind: WorkKind
    due_on: date
    message: str
    floor: Severity = Severity.INFO


@dataclass(frozen=True, slots=True)
class WorklistSettings:
    """Clinic-wide settings: the iPLEDGE change date (domain.md §0, §7.1) and the clinic
    policies [P] named above."""

    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON
    upcoming_days: int = UPCOMING_DAYS
    closing_soon_days: int = CLOSING_SOON_DAYS
    include_optional_lab_panels: bool = False
    pcngp_window_days_after_modification: int | None = PCNGP_WINDOW_DAYS_AFTER_MODIFICATION


def status_on(due_on: date, on: date) -> ItemStatus:
    if due_on > on:
        return ItemStatus.UPCOMING
    return ItemStatus.DUE if due_on == on else ItemStatus.OVERDUE


def to_item(candidate: Candidate, on: date) -> WorklistItem:
    """Upcoming items start as info, due and overdue ones as warnings; a candidate's floor
    can only raise that."""
    status = status_on(candidate.due_on, on)
    base = Severity.INFO if status is ItemStatus.UPCOMING else Severity.WARNING
    severity = max(base, candidate.floor, key=lambda s: s.rank)
    return WorklistItem(candidate.kind, candidate.due_on, status, severity, candidate.message)


def urgency_key(item: WorklistItem) -> tuple[int, int, date, str]:
    """Most severe first, then overdue before due before upcoming, then earliest due."""
    return (-item.severity.rank, -_STATUS_RANK[item.status], item.due_on, item.kind.value)
