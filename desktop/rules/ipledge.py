"""iPLEDGE steps per risk category: monthly requirements, fills and supply, end-of-course duties.

Risk categories are `desktop.rules.patients.RiskCategory` (prescriber-assigned, never derived
from sex, domain.md §1.2), re-exported here. Rule sets live in `ipledge_rule_sets`, fill
windows in `fill_window`, the first course in `first_course`.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desktop.rules.calendar import add_days, add_months
from desktop.rules.ipledge_rule_sets import MAX_DAYS_SUPPLY, RuleSet
from desktop.rules.patients import RiskCategory
from desktop.rules.problems import Problem

__all__ = [
    "CONTRACEPTION_AFTER_MONTHS",
    "MIN_MONTHS_BEFORE_NEXT_COURSE",
    "NO_BLOOD_DONATION_MONTHS",
    "NO_BREASTFEEDING_MONTHS",
    "NO_COSMETIC_PROCEDURES_MONTHS",
    "POST_COURSE_PREGNANCY_TEST_MONTHS",
    "Fill",
    "IpledgeStep",
    "PostCourse",
    "RiskCategory",
    "check_fill",
    "latest_fill",
    "monthly_steps",
    "post_course_obligations",
    "supply_ends_on",
]

POST_COURSE_PREGNANCY_TEST_MONTHS = 1
"""Patients who can get pregnant: a test at the end and 1 month after stopping (§1.7)."""
CONTRACEPTION_AFTER_MONTHS = 1
"""Contraception continues 1 month after the last dose (domain.md §1.5, §1.7)."""
NO_BLOOD_DONATION_MONTHS = 1
"""Everyone: no blood donation for 1 month after the last dose (domain.md §1.7, §6)."""
NO_BREASTFEEDING_MONTHS = 1
"""No breastfeeding for 1 month after the last dose (domain.md §1.7)."""
NO_COSMETIC_PROCEDURES_MONTHS = 6
"""No waxing, dermabrasion, laser or skin-smoothing procedures for 6 months (domain.md §6)."""
MIN_MONTHS_BEFORE_NEXT_COURSE = 2
"""A second course waits at least 2 months after the first (domain.md §1.7)."""


class IpledgeStep(StrEnum):
    """Steps before each prescription (domain.md §1.4 table)."""

    COUNSELING_CONFIRMATION = "counseling_confirmation"
    PREGNANCY_TEST = "pregnancy_test"
    CONTRACEPTION_ENTRY = "contraception_entry"
    COMPREHENSION_QUESTIONS = "comprehension_questions"


def monthly_steps(
    category: RiskCategory, rule_set: RuleSet, *, is_enrollment: bool
) -> tuple[IpledgeStep, ...]:
    """Steps due before a prescription under `rule_set` (domain.md §1.4). A patient who can
    get pregnant does all four every month. A patient who cannot get pregnant needs only the
    counselling confirmation: every month under the 2021 set, at enrolment only once the 2026
    modification is in force."""
    if category is RiskCategory.CAN_GET_PREGNANT:
        return (
            IpledgeStep.COUNSELING_CONFIRMATION,
            IpledgeStep.PREGNANCY_TEST,
            IpledgeStep.CONTRACEPTION_ENTRY,
            IpledgeStep.COMPREHENSION_QUESTIONS,
        )
    if is_enrollment or rule_set.pcngp_counseling_every_month:
        return (IpledgeStep.COUNSELING_CONFIRMATION,)
    return ()


@dataclass(frozen=True, slots=True)
class Fill:
    """A dispense picked up by the patient (domain.md §1.6, §1.8 "RMA / fill events")."""

    filled_on: date
    days_supply: int


def check_fill(fill: Fill) -> tuple[Problem, ...]:
    """At most a 30-day supply, no refills: each fill is its own authorization (§1.6)."""
    if not 1 <= fill.days_supply <= MAX_DAYS_SUPPLY:
        return (
            Problem(
                "days_supply",
                f"A fill covers 1 to {MAX_DAYS_SUPPLY} days; iPLEDGE allows at most a "
                f"{MAX_DAYS_SUPPLY}-day supply with no refills.",
            ),
        )
    return ()


def supply_ends_on(fill: Fill) -> date:
    """The first day the fill no longer covers: the next prescription is needed by then."""
    return add_days(fill.filled_on, fill.days_supply)


def latest_fill(fills: Sequence[Fill], *, on: date) -> Fill | None:
    return max((f for f in fills if f.filled_on <= on), key=lambda f: f.filled_on, default=None)


@dataclass(frozen=True, slots=True)
class PostCourse:
    """Obligations after the last dose (domain.md §1.7, §6). "Until" dates are the last day
    the restriction applies; None where it does not apply to the risk category."""

    last_dose_on: date
    end_of_course_pregnancy_test_due: date | None
    pregnancy_test_due: date | None
    contraception_until: date | None
    no_blood_donation_until: date
    no_breastfeeding_until: date
    no_cosmetic_procedures_until: date
    earliest_next_course: date


def post_course_obligations(category: RiskCategory, *, last_dose_on: date) -> PostCourse:
    """Dates counted in calendar months from the last dose (domain.md §8 M1)."""
    can_get_pregnant = category is RiskCategory.CAN_GET_PREGNANT
    return PostCourse(
        last_dose_on=last_dose_on,
        end_of_course_pregnancy_test_due=last_dose_on if can_get_pregnant else None,
        pregnancy_test_due=(
            add_months(last_dose_on, POST_COURSE_PREGNANCY_TEST_MONTHS)
            if can_get_pregnant
            else None
        ),
        contraception_until=(
            add_months(last_dose_on, CONTRACEPTION_AFTER_MONTHS) if can_get_pregnant else None
        ),
        no_blood_donation_until=add_months(last_dose_on, NO_BLOOD_DONATION_MONTHS),
        no_breastfeeding_until=add_months(last_dose_on, NO_BREASTFEEDING_MONTHS),
        no_cosmetic_procedures_until=add_months(last_dose_on, NO_COSMETIC_PROCEDURES_MONTHS),
        earliest_next_course=add_months(last_dose_on, MIN_MONTHS_BEFORE_NEXT_COURSE),
    )
