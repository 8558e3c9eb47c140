"""Whether a course may start: hard stops, and the interval after a previous course."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from desktop.rules.calendar import add_months
from desktop.rules.cumulative_dose import check_target_mg_per_kg
from desktop.rules.ipledge import MIN_MONTHS_BEFORE_NEXT_COURSE
from desktop.rules.patients import RiskCategory
from desktop.rules.problems import Problem

EARLIEST_START_BEFORE_TODAY_DAYS = 365
"""A course may be entered up to a year back (moving running patients over, DESIGN.md)."""


@dataclass(frozen=True, slots=True)
class CourseStartFacts:
    """What the start-of-course check needs to know about the patient and their history."""

    risk_category: RiskCategory | None
    is_pregnant_or_breastfeeding: bool
    has_retinoid_allergy: bool
    has_open_course: bool
    previous_last_dose_on: date | None


@dataclass(frozen=True, slots=True)
class CourseStartDraft:
    start_on: date | None
    target_mg_per_kg: Decimal | None
    override_reason: str = ""
    """A prescriber's reason for starting a second course early (the only overridable stop)."""


def earliest_next_course(previous_last_dose_on: date) -> date:
    return add_months(previous_last_dose_on, MIN_MONTHS_BEFORE_NEXT_COURSE)


def hard_stops(facts: CourseStartFacts) -> tuple[Problem, ...]:
    """Stops no one can override (domain.md §1.2, §1.7, §6)."""
    stops = []
    if facts.is_pregnant_or_breastfeeding:
        stops.append(Problem("patient", "The patient is recorded as pregnant or breastfeeding: "
                                        "isotretinoin must not be started."))  # fmt: skip
    if facts.risk_category is None:
        stops.append(Problem("patient", "The prescriber has not assigned an iPLEDGE risk "
                                        "category: edit the patient first."))  # fmt: skip
    if facts.has_retinoid_allergy:
        stops.append(Problem("patient", "A retinoid / vitamin A allergy is recorded: "
                                        "isotretinoin must not be started."))  # fmt: skip
    if facts.has_open_course:
        stops.append(Problem("patient", "This patient already has a course that has not ended."))
    return tuple(stops)


def check_course_start(
    draft: CourseStartDraft, facts: CourseStartFacts, *, today: date, is_prescriber: bool
) -> tuple[Problem, ...]:
    problems = list(hard_stops(facts))
    if draft.start_on is None:
        problems.append(Problem("start_on", "Enter the start date (first dose)."))
    elif (today - draft.start_on).days > EARLIEST_START_BEFORE_TODAY_DAYS:
        problems.append(Problem("start_on", "The start date is more than a year ago."))
    if draft.target_mg_per_kg is None:
        problems.append(Problem("target_mg_per_kg", "Choose the cumulative target in mg/kg."))
    elif problem := check_target_mg_per_kg(draft.target_mg_per_kg):
        problems.append(problem)
    if draft.start_on is not None and facts.previous_last_dose_on is not None:
        problems.extend(_check_interval(draft, facts.previous_last_dose_on, is_prescriber))
    return tuple(problems)


def _check_interval(
    draft: CourseStartDraft, previous_last_dose_on: date, is_prescriber: bool
) -> list[Problem]:
    assert draft.start_on is not None
    earliest = earliest_next_course(previous_last_dose_on)
    if draft.start_on >= earliest:
        return []
    if not draft.override_reason.strip():
        return [Problem("start_on", f"A new course may start on {earliest:%Y-%m-%d} at the "
                                    "earliest (2 months after the last course); a prescriber "
                                    "may override with a reason.")]  # fmt: skip
    if not is_prescriber:
        return [Problem("override_reason", "Only a prescriber can override the 2-month wait.")]
    return []
