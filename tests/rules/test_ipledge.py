"""Monthly iPLEDGE steps, fills and end-of-course duties (domain.md §1.4, §1.6, §1.7, §6)."""

from datetime import date

import pytest

from desktop.rules.ipledge import (
    Fill,
    IpledgeStep,
    RiskCategory,
    check_fill,
    latest_fill,
    monthly_steps,
    post_course_obligations,
    supply_ends_on,
)
from desktop.rules.ipledge_rule_sets import rule_set_in_force

CAN = RiskCategory.CAN_GET_PREGNANT
CANNOT = RiskCategory.CANNOT_GET_PREGNANT
ALL_STEPS = (
    IpledgeStep.COUNSELING_CONFIRMATION,
    IpledgeStep.PREGNANCY_TEST,
    IpledgeStep.CONTRACEPTION_ENTRY,
    IpledgeStep.COMPREHENSION_QUESTIONS,
)
COUNSELING_ONLY = (IpledgeStep.COUNSELING_CONFIRMATION,)


@pytest.mark.parametrize(
    ("category", "on", "is_enrollment", "expected"),
    [
        pytest.param(CAN, date(2026, 8, 7), False, ALL_STEPS, id="§1.4-pcgp-2021"),
        pytest.param(CAN, date(2026, 8, 8), False, ALL_STEPS, id="§1.4-pcgp-2026-unchanged"),
        pytest.param(
            CANNOT,
            date(2026, 8, 7),
            False,
            COUNSELING_ONLY,
            id="§1.4-pcngp-monthly-counseling-day-before-change",
        ),
        pytest.param(CANNOT, date(2026, 8, 8), False, (), id="§1.4-pcngp-none-day-of-change"),
        pytest.param(CANNOT, date(2026, 8, 9), False, (), id="§1.4-pcngp-none-day-after"),
        pytest.param(
            CANNOT, date(2026, 8, 9), True, COUNSELING_ONLY, id="§1.4-pcngp-counseling-at-enrolment"
        ),
    ],
)
def test_monthly_steps_per_category_and_rule_set(
    category: RiskCategory, on: date, is_enrollment: bool, expected: tuple[IpledgeStep, ...]
) -> None:
    rule_set = rule_set_in_force(on)
    assert monthly_steps(category, rule_set, is_enrollment=is_enrollment) == expected


@pytest.mark.parametrize(
    ("days", "ok"),
    [
        pytest.param(30, True, id="§1.6-30-day-supply"),
        pytest.param(1, True, id="§1.6-one-day"),
        pytest.param(31, False, id="§1.6-over-30-days"),
        pytest.param(0, False, id="§1.6-empty"),
    ],
)
def test_fill_supply_is_at_most_30_days(days: int, ok: bool) -> None:
    problems = check_fill(Fill(date(2026, 1, 5), days))
    assert (problems == ()) is ok
    assert all(p.field == "days_supply" for p in problems)


def test_supply_and_latest_fill() -> None:
    fills = (Fill(date(2026, 1, 5), 30), Fill(date(2026, 2, 4), 30))
    assert supply_ends_on(fills[0]) == date(2026, 2, 4)
    assert latest_fill(fills, on=date(2026, 2, 3)) == fills[0]
    assert latest_fill(fills, on=date(2026, 2, 4)) == fills[1]
    assert latest_fill(fills, on=date(2026, 1, 4)) is None


def test_post_course_for_a_patient_who_can_get_pregnant() -> None:
    """§1.7 and §6, months by §8 M1: 31 May + 1 month = 30 June."""
    post = post_course_obligations(CAN, last_dose_on=date(2026, 5, 31))
    assert post.end_of_course_pregnancy_test_due == date(2026, 5, 31)
    assert post.pregnancy_test_due == date(2026, 6, 30)
    assert post.contraception_until == date(2026, 6, 30)
    assert post.no_blood_donation_until == date(2026, 6, 30)
    assert post.no_breastfeeding_until == date(2026, 6, 30)
    assert post.no_cosmetic_procedures_until == date(2026, 11, 30)
    assert post.earliest_next_course == date(2026, 7, 31)


def test_post_course_for_a_patient_who_cannot_get_pregnant_around_a_leap_day() -> None:
    post = post_course_obligations(CANNOT, last_dose_on=date(2027, 12, 31))
    assert post.pregnancy_test_due is None
    assert post.contraception_until is None
    assert post.end_of_course_pregnancy_test_due is None
    assert post.no_blood_donation_until == date(2028, 1, 31)
    assert post.earliest_next_course == date(2028, 2, 29)
    assert post.no_cosmetic_procedures_until == date(2028, 6, 30)
