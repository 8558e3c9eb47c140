"""Which iPLEDGE rule set is in force on a date (domain.md §0, §7.1: the date is a setting)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.ipledge_rule_sets import (
    DEFAULT_MODIFICATION_EFFECTIVE_ON,
    RULES_2021,
    RuleSetId,
    rule_set_in_force,
)


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(date(2021, 12, 13), RuleSetId.IPLEDGE_2021, id="§0-2021-set-first-day"),
        pytest.param(date(2020, 6, 1), RuleSetId.IPLEDGE_2021, id="§0-earlier-dates-use-2021"),
        pytest.param(date(2026, 8, 7), RuleSetId.IPLEDGE_2021, id="§0-day-before-change"),
        pytest.param(date(2026, 8, 8), RuleSetId.IPLEDGE_2026, id="§0-day-of-change"),
        pytest.param(date(2026, 8, 9), RuleSetId.IPLEDGE_2026, id="§0-day-after-change"),
    ],
)
def test_default_change_date_is_2026_08_08(on: date, expected: RuleSetId) -> None:
    assert date(2026, 8, 8) == DEFAULT_MODIFICATION_EFFECTIVE_ON
    assert rule_set_in_force(on).id is expected


def test_change_date_is_a_setting_when_go_live_is_postponed() -> None:
    """§0 last row / §7.1: an admin may move the effective date."""
    later = date(2026, 10, 1)
    assert rule_set_in_force(date(2026, 9, 30), modification_effective_on=later) is RULES_2021
    in_force = rule_set_in_force(later, modification_effective_on=later)
    assert in_force.id is RuleSetId.IPLEDGE_2026
    assert in_force.effective_on == later


def test_what_changes_with_the_modification() -> None:
    """§0 2023-11-30 and 2026-02-09 rows, §1.3, §1.4, §1.6."""
    before = rule_set_in_force(date(2026, 8, 7))
    after = rule_set_in_force(date(2026, 8, 8))
    assert (before.pcngp_pharmacy_window_days, after.pcngp_pharmacy_window_days) == (30, None)
    assert (before.missed_first_window_wait_days, after.missed_first_window_wait_days) == (19, None)
    assert before.pcngp_counseling_every_month
    assert not after.pcngp_counseling_every_month
    assert not before.home_tests_during_treatment
    assert after.home_tests_during_treatment
    assert before.confirmation_needs_clia_lab
    assert not after.confirmation_needs_clia_lab


@given(
    st.dates(min_value=date(2021, 12, 13), max_value=date(2030, 12, 31)),
    st.dates(min_value=date(2022, 1, 1), max_value=date(2030, 12, 31)),
    st.integers(min_value=1, max_value=2000),
)
def test_once_the_modification_is_in_force_it_stays(
    on: date, effective: date, later_days: int
) -> None:
    first = rule_set_in_force(on, modification_effective_on=effective)
    later = rule_set_in_force(on + timedelta(days=later_days), modification_effective_on=effective)
    assert (first.id is RuleSetId.IPLEDGE_2026) == (on >= effective)
    if first.id is RuleSetId.IPLEDGE_2026:
        assert later.id is RuleSetId.IPLEDGE_2026
