"""Calendar arithmetic: whole months clamped to month end (domain.md §8 M1), inclusive days."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.calendar import add_months, days_between, days_inclusive, last_day_of_period

DAYS = st.dates(min_value=date(1990, 1, 1), max_value=date(2090, 12, 31))


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(date(2026, 1, 15), 1, date(2026, 2, 15), id="M1-same-day-next-month"),
        pytest.param(date(2026, 1, 31), 1, date(2026, 2, 28), id="M1-clamped-to-february"),
        pytest.param(date(2024, 1, 31), 1, date(2024, 2, 29), id="M1-leap-year-february"),
        pytest.param(date(2024, 2, 29), 12, date(2025, 2, 28), id="M1-29-feb-plus-a-year"),
        pytest.param(date(2024, 2, 29), 48, date(2028, 2, 29), id="M1-29-feb-plus-4-years"),
        pytest.param(date(2026, 3, 31), 1, date(2026, 4, 30), id="M1-31-to-30-day-month"),
        pytest.param(date(2026, 12, 15), 1, date(2027, 1, 15), id="M1-across-new-year"),
        pytest.param(date(2026, 1, 15), -1, date(2025, 12, 15), id="M1-backwards-new-year"),
        pytest.param(date(2026, 3, 31), -1, date(2026, 2, 28), id="M1-backwards-clamped"),
        pytest.param(date(2026, 8, 31), 6, date(2027, 2, 28), id="M1-six-months-clamped"),
        pytest.param(date(2026, 1, 5), 0, date(2026, 1, 5), id="M1-zero-months"),
    ],
)
def test_add_months_keeps_the_day_and_clamps_to_month_end(
    day: date, months: int, expected: date
) -> None:
    assert add_months(day, months) == expected


@pytest.mark.parametrize(
    ("first", "length", "expected"),
    [
        pytest.param(date(2026, 1, 2), 7, date(2026, 1, 8), id="W7-day-1-is-the-anchor"),
        pytest.param(date(2024, 2, 26), 7, date(2024, 3, 3), id="W7-across-29-feb"),
        pytest.param(date(2026, 3, 1), 30, date(2026, 3, 30), id="W30-visit-plus-29"),
        pytest.param(date(2026, 1, 1), 1, date(2026, 1, 1), id="one-day"),
    ],
)
def test_last_day_of_period_counts_the_first_day_as_day_one(
    first: date, length: int, expected: date
) -> None:
    assert last_day_of_period(first, length) == expected


def test_a_period_cannot_be_empty() -> None:
    with pytest.raises(ValueError, match="at least one day"):
        last_day_of_period(date(2026, 1, 1), 0)


def test_days_inclusive_and_between() -> None:
    assert days_inclusive(date(2026, 1, 1), date(2026, 1, 31)) == 31
    assert days_inclusive(date(2024, 2, 1), date(2024, 3, 1)) == 30
    assert days_inclusive(date(2026, 1, 2), date(2026, 1, 1)) == 0
    assert days_between(date(2026, 1, 2), date(2026, 1, 1)) == -1


@given(DAYS, st.integers(min_value=-240, max_value=240))
def test_add_months_lands_in_the_right_month_never_past_the_day(day: date, months: int) -> None:
    result = add_months(day, months)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == months
    assert result.day <= day.day
    if result.day < day.day:  # clamped: it is the last day of its month
        assert (result + timedelta(days=1)).day == 1


@given(DAYS.filter(lambda d: d.day <= 28), st.integers(min_value=-240, max_value=240))
def test_add_months_is_reversible_for_days_every_month_has(day: date, months: int) -> None:
    assert add_months(add_months(day, months), -months) == day


@given(DAYS, st.integers(min_value=1, max_value=400))
def test_period_length_matches_inclusive_count(day: date, length: int) -> None:
    assert days_inclusive(day, last_day_of_period(day, length)) == length
