"""Starting a course: hard stops and the 2-month interval after a previous course
(domain.md §1.2, §1.7, §6)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.course_start import (
    CourseStartDraft,
    CourseStartFacts,
    check_course_start,
    earliest_next_course,
)
from desktop.rules.patients import RiskCategory

TODAY = date(2026, 11, 20)
CLEAR = CourseStartFacts(RiskCategory.CANNOT_GET_PREGNANT, False, False, False, None)
DRAFT = CourseStartDraft(date(2026, 11, 23), Decimal(150))


def _fields(problems: tuple[object, ...]) -> list[str]:
    return [p.field for p in problems]  # type: ignore[attr-defined]


def test_a_clear_first_course_may_start() -> None:
    assert check_course_start(DRAFT, CLEAR, today=TODAY, is_prescriber=False) == ()


@pytest.mark.parametrize(
    ("facts", "words"),
    [
        (replace(CLEAR, is_pregnant_or_breastfeeding=True), "pregnant or breastfeeding"),
        (replace(CLEAR, risk_category=None), "risk category"),
        (replace(CLEAR, has_retinoid_allergy=True), "allergy"),
        (replace(CLEAR, has_open_course=True), "has not ended"),
    ],
)
def test_hard_stops_are_refused_even_for_a_prescriber(facts: CourseStartFacts, words: str) -> None:
    draft = replace(DRAFT, override_reason="I know best")
    problems = check_course_start(draft, facts, today=TODAY, is_prescriber=True)
    assert words in problems[0].message


@pytest.mark.parametrize(
    ("last_dose", "earliest"),
    [
        (date(2026, 9, 23), date(2026, 11, 23)),
        (date(2025, 12, 31), date(2026, 2, 28)),  # clamped to month end (§8 M1)
        (date(2023, 12, 31), date(2024, 2, 29)),  # leap year
    ],
)
def test_earliest_next_course_is_two_months_after_the_last_dose(
    last_dose: date, earliest: date
) -> None:
    assert earliest_next_course(last_dose) == earliest


def test_second_course_on_the_earliest_day_is_fine() -> None:
    facts = replace(CLEAR, previous_last_dose_on=date(2026, 9, 23))
    assert check_course_start(DRAFT, facts, today=TODAY, is_prescriber=False) == ()


def test_early_second_course_needs_a_prescriber_and_a_reason() -> None:
    facts = replace(CLEAR, previous_last_dose_on=date(2026, 9, 24))
    early = check_course_start(DRAFT, facts, today=TODAY, is_prescriber=False)
    assert _fields(early) == ["start_on"]
    assert "2026-11-24 at the earliest" in early[0].message
    with_reason = replace(DRAFT, override_reason="relapse with scarring")
    assert _fields(check_course_start(with_reason, facts, today=TODAY, is_prescriber=False)) == [
        "override_reason"
    ]
    assert check_course_start(with_reason, facts, today=TODAY, is_prescriber=True) == ()


@pytest.mark.parametrize(
    ("draft", "field"),
    [
        (replace(DRAFT, start_on=None), "start_on"),
        (replace(DRAFT, start_on=date(2025, 11, 19)), "start_on"),
        (replace(DRAFT, target_mg_per_kg=None), "target_mg_per_kg"),
        (replace(DRAFT, target_mg_per_kg=Decimal(0)), "target_mg_per_kg"),
        (replace(DRAFT, target_mg_per_kg=Decimal(700)), "target_mg_per_kg"),
    ],
)
def test_missing_or_implausible_values_name_the_field(draft: CourseStartDraft, field: str) -> None:
    assert _fields(check_course_start(draft, CLEAR, today=TODAY, is_prescriber=False)) == [field]
