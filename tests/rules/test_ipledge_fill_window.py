"""Fill windows per risk category and rule set (domain.md §1.6, §8 W7 / W30)."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.fill_window import WindowBasis, fill_window
from desktop.rules.ipledge_rule_sets import RuleSetId
from desktop.rules.patients import RiskCategory

CAN = RiskCategory.CAN_GET_PREGNANT
CANNOT = RiskCategory.CANNOT_GET_PREGNANT


@pytest.mark.parametrize(
    ("category", "anchor", "closes", "basis", "rule_set"),
    [
        pytest.param(
            CAN,
            date(2026, 1, 2),
            date(2026, 1, 8),
            WindowBasis.IPLEDGE,
            RuleSetId.IPLEDGE_2021,
            id="W7-specimen-plus-6",
        ),
        pytest.param(
            CAN,
            date(2024, 2, 26),
            date(2024, 3, 3),
            WindowBasis.IPLEDGE,
            RuleSetId.IPLEDGE_2021,
            id="W7-leap-year",
        ),
        pytest.param(
            CAN,
            date(2025, 12, 28),
            date(2026, 1, 3),
            WindowBasis.IPLEDGE,
            RuleSetId.IPLEDGE_2021,
            id="W7-across-new-year",
        ),
        pytest.param(
            CAN,
            date(2026, 8, 8),
            date(2026, 8, 14),
            WindowBasis.IPLEDGE,
            RuleSetId.IPLEDGE_2026,
            id="W7-unchanged-by-2026-set",
        ),
        pytest.param(
            CANNOT,
            date(2026, 3, 1),
            date(2026, 3, 30),
            WindowBasis.IPLEDGE,
            RuleSetId.IPLEDGE_2021,
            id="W30-visit-plus-29",
        ),
        pytest.param(
            CANNOT,
            date(2026, 8, 7),
            date(2026, 9, 5),
            WindowBasis.IPLEDGE,
            RuleSetId.IPLEDGE_2021,
            id="§1.6-day-before-change-pharmacy-window",
        ),
        pytest.param(
            CANNOT,
            date(2026, 8, 8),
            date(2026, 9, 6),
            WindowBasis.CLINIC_POLICY,
            RuleSetId.IPLEDGE_2026,
            id="§1.6-day-of-change-clinic-policy",
        ),
        pytest.param(
            CANNOT,
            date(2026, 8, 9),
            date(2026, 9, 7),
            WindowBasis.CLINIC_POLICY,
            RuleSetId.IPLEDGE_2026,
            id="§1.6-day-after-change-clinic-policy",
        ),
    ],
)
def test_window_closes_per_category_and_rule_set(
    category: RiskCategory, anchor: date, closes: date, basis: WindowBasis, rule_set: RuleSetId
) -> None:
    window = fill_window(category, anchor_on=anchor)
    assert window is not None
    assert (window.opens, window.closes) == (anchor, closes)
    assert (window.basis, window.rule_set) == (basis, rule_set)


def test_clinic_may_drop_the_window_after_the_change() -> None:
    """§7.2: the replacement is unknown; the clinic-policy window is a setting."""
    window = fill_window(
        CANNOT, anchor_on=date(2026, 9, 1), pcngp_window_days_after_modification=None
    )
    assert window is None


def test_rule_set_follows_the_configured_change_date() -> None:
    window = fill_window(
        CANNOT, anchor_on=date(2026, 9, 1), modification_effective_on=date(2026, 10, 1)
    )
    assert window is not None
    assert window.basis is WindowBasis.IPLEDGE


def test_window_is_open_on_its_first_and_last_day_only() -> None:
    window = fill_window(CAN, anchor_on=date(2026, 1, 2))
    assert window is not None
    assert window.is_open_on(date(2026, 1, 2))
    assert window.is_open_on(date(2026, 1, 8))
    assert not window.is_open_on(date(2026, 1, 1))
    assert not window.is_open_on(date(2026, 1, 9))


@given(
    st.sampled_from(list(RiskCategory)),
    st.dates(min_value=date(2021, 12, 13), max_value=date(2035, 12, 31)),
    st.dates(min_value=date(2022, 1, 1), max_value=date(2035, 12, 31)),
)
def test_window_never_opens_before_its_specimen_or_visit(
    category: RiskCategory, anchor: date, effective: date
) -> None:
    window = fill_window(category, anchor_on=anchor, modification_effective_on=effective)
    assert window is not None
    assert window.opens == anchor <= window.closes
    if category is CAN:
        assert (window.closes - window.opens).days == 6
