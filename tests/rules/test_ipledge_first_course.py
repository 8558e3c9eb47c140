"""First course for a patient who can get pregnant (domain.md §1.3, §0, §7.4)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.first_course import (
    CONTRACEPTION_LEAD_DAYS,
    earliest_confirmation_test,
    first_course_status,
    next_confirmation_test_not_before,
)
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestPurpose,
    PregnancyTestResult,
)

NEGATIVE = PregnancyTestResult.NEGATIVE
SCREENING = PregnancyTestPurpose.SCREENING
CONFIRMATION = PregnancyTestPurpose.CONFIRMATION
IUD_AND_CONDOM = ContraceptionPeriod(
    date(2025, 12, 1), ContraceptionMethod.IUD, ContraceptionMethod.CONDOM
)


def test_contraception_lead_is_a_30_day_policy_constant() -> None:
    assert CONTRACEPTION_LEAD_DAYS == 30


@pytest.mark.parametrize(
    ("screening", "protected", "expected"),
    [
        pytest.param(
            date(2026, 1, 2),
            date(2025, 12, 1),
            date(2026, 1, 21),
            id="§1.3-screening-plus-19-is-later",
        ),
        pytest.param(
            date(2026, 1, 2),
            date(2026, 1, 10),
            date(2026, 2, 9),
            id="§1.3-contraception-plus-30-is-later",
        ),
        pytest.param(
            date(2024, 2, 5), date(2024, 1, 30), date(2024, 2, 29), id="§1.3-lands-on-29-feb"
        ),
    ],
)
def test_earliest_confirmation_is_the_later_of_both_waits(
    screening: date, protected: date, expected: date
) -> None:
    assert earliest_confirmation_test(screening_on=screening, protected_since_on=protected) == (
        expected
    )


@pytest.mark.parametrize(
    ("previous", "effective", "expected"),
    [
        pytest.param(
            date(2026, 3, 2),
            date(2026, 8, 8),
            date(2026, 3, 21),
            id="§1.3-before-change-19-day-wait",
        ),
        pytest.param(
            date(2026, 7, 15), date(2026, 8, 8), date(2026, 8, 3), id="§1.3-wait-ends-before-change"
        ),
        pytest.param(
            date(2026, 7, 20), date(2026, 8, 8), date(2026, 8, 8), id="§1.3-wait-ends-on-change-day"
        ),
        pytest.param(
            date(2026, 7, 25), date(2026, 8, 8), date(2026, 8, 8), id="§0-wait-cut-short-by-change"
        ),
        pytest.param(
            date(2026, 7, 31),
            date(2026, 8, 8),
            date(2026, 8, 8),
            id="§0-free-day-before-change-waits-for-change",
        ),
        pytest.param(
            date(2026, 8, 1),
            date(2026, 8, 8),
            date(2026, 8, 8),
            id="§0-free-day-is-change-day-immediate",
        ),
        pytest.param(
            date(2026, 8, 2),
            date(2026, 8, 8),
            date(2026, 8, 9),
            id="§0-free-day-after-change-immediate",
        ),
        pytest.param(
            date(2026, 8, 10),
            date(2026, 11, 1),
            date(2026, 8, 29),
            id="§7.1-postponed-change-keeps-19-day-wait",
        ),
    ],
)
def test_next_confirmation_after_a_missed_first_window(
    previous: date, effective: date, expected: date
) -> None:
    assert (
        next_confirmation_test_not_before(previous, modification_effective_on=effective) == expected
    )


def test_status_with_nothing_recorded_counts_from_the_day_asked() -> None:
    status = first_course_status((), (), on=date(2026, 1, 10))
    assert status.earliest_confirmation_test == date(2026, 2, 9)
    assert not status.has_screening_test
    assert status.protected_since is None
    assert status.next_confirmation_test_not_before is None


def test_status_with_window_still_open() -> None:
    tests = (
        PregnancyTest(SCREENING, date(2025, 12, 5), NEGATIVE),
        PregnancyTest(CONFIRMATION, date(2026, 1, 2), NEGATIVE),
    )
    status = first_course_status(tests, (IUD_AND_CONDOM,), on=date(2026, 1, 8))
    assert status.earliest_confirmation_test == date(2025, 12, 31)
    assert status.confirmation_test == tests[1]
    assert not status.confirmation_too_early
    assert status.missed_window_closed_on is None


def test_status_after_the_first_window_passed_without_a_fill() -> None:
    tests = (
        PregnancyTest(SCREENING, date(2025, 12, 5), NEGATIVE),
        PregnancyTest(CONFIRMATION, date(2026, 1, 2), NEGATIVE),
    )
    status = first_course_status(tests, (IUD_AND_CONDOM,), on=date(2026, 1, 9))
    assert status.missed_window_closed_on == date(2026, 1, 8)
    assert status.next_confirmation_test_not_before == date(2026, 1, 21)
    assert status.earliest_confirmation_test == date(2026, 1, 21)


def test_confirmation_before_the_earliest_day_is_flagged() -> None:
    tests = (
        PregnancyTest(SCREENING, date(2025, 12, 20), NEGATIVE),
        PregnancyTest(CONFIRMATION, date(2026, 1, 2), NEGATIVE),
    )
    status = first_course_status(tests, (IUD_AND_CONDOM,), on=date(2026, 1, 3))
    assert status.confirmation_too_early


def test_tests_after_the_day_asked_are_not_known_yet() -> None:
    tests = (PregnancyTest(SCREENING, date(2026, 2, 1), NEGATIVE),)
    status = first_course_status(tests, (IUD_AND_CONDOM,), on=date(2026, 1, 10))
    assert not status.has_screening_test


@given(
    st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31)),
    st.dates(min_value=date(2025, 6, 1), max_value=date(2027, 6, 30)),
)
def test_repeat_is_never_inside_the_missed_window_nor_later_than_19_days(
    previous: date, effective: date
) -> None:
    result = next_confirmation_test_not_before(previous, modification_effective_on=effective)
    assert 7 <= (result - previous).days <= 19
