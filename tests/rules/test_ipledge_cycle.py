"""The monthly iPLEDGE cycle: open or missed windows, steps still to do (domain.md §1.4, §1.6)."""

from dataclasses import replace
from datetime import date

import pytest

from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.fill_window import WindowBasis
from desktop.rules.ipledge import Fill, IpledgeStep
from desktop.rules.ipledge_cycle import IpledgeHistory, cycle_status, window_anchors, window_state
from desktop.rules.ipledge_rule_sets import RuleSetId
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestPurpose,
    PregnancyTestResult,
)

P = PregnancyTestPurpose
NEG = PregnancyTestResult.NEGATIVE
PCGP = IpledgeHistory(
    category=RiskCategory.CAN_GET_PREGNANT,
    start_on=date(2026, 1, 5),
    pregnancy_tests=(
        PregnancyTest(P.SCREENING, date(2025, 12, 5), NEG),
        PregnancyTest(P.CONFIRMATION, date(2026, 1, 2), NEG),
        PregnancyTest(P.MONTHLY, date(2026, 2, 2), NEG),
        PregnancyTest(P.MONTHLY, date(2026, 3, 2), PregnancyTestResult.POSITIVE),
    ),
    counseling_confirmations=(date(2026, 1, 2),),
    comprehension_answers=(date(2026, 1, 3),),
    contraception=(
        ContraceptionPeriod(date(2025, 12, 1), ContraceptionMethod.IUD, ContraceptionMethod.CONDOM),
    ),
    fills=(Fill(date(2026, 1, 5), 30),),
)


def test_only_negative_confirmation_and_monthly_tests_open_windows() -> None:
    """§8 W7: the specimen date of a negative test opens the window."""
    assert window_anchors(PCGP) == (date(2026, 1, 2), date(2026, 2, 2))


@pytest.mark.parametrize(
    ("on", "open_until", "missed_until"),
    [
        pytest.param(date(2026, 1, 4), date(2026, 1, 8), None, id="W7-first-window-open"),
        pytest.param(date(2026, 1, 20), None, None, id="W7-used-by-the-fill"),
        pytest.param(date(2026, 2, 8), date(2026, 2, 8), None, id="W7-last-day"),
        pytest.param(date(2026, 2, 9), None, date(2026, 2, 8), id="W7-missed"),
    ],
)
def test_window_state(on: date, open_until: date | None, missed_until: date | None) -> None:
    state = window_state(PCGP, on=on)
    assert (state.open.closes if state.open else None) == open_until
    assert (state.missed.closes if state.missed else None) == missed_until


def test_steps_after_the_first_fill_count_only_when_done_since() -> None:
    """§1.4: every month, before the prescription due when the supply ends (02-04)."""
    status = cycle_status(PCGP, on=date(2026, 2, 3))
    assert status.prescription_due_on == date(2026, 2, 4)
    assert status.rule_set.id is RuleSetId.IPLEDGE_2021
    assert status.steps_to_do == (
        IpledgeStep.COUNSELING_CONFIRMATION,
        IpledgeStep.COMPREHENSION_QUESTIONS,
    )


def test_before_the_first_fill_any_earlier_step_counts() -> None:
    history = replace(PCGP, fills=())
    status = cycle_status(history, on=date(2026, 1, 4))
    assert status.last_fill is None
    assert status.prescription_due_on == date(2026, 1, 5)
    assert status.steps_to_do == ()


def test_pcngp_window_from_the_visit_after_the_change_is_clinic_policy() -> None:
    """§1.6, §7.2: visit = day 1, 30 days, labelled clinic policy."""
    history = IpledgeHistory(
        category=RiskCategory.CANNOT_GET_PREGNANT,
        start_on=date(2026, 9, 1),
        visits=(date(2026, 9, 1),),
    )
    status = cycle_status(history, on=date(2026, 9, 2))
    assert status.window.open is not None
    assert status.window.open.basis is WindowBasis.CLINIC_POLICY
    assert status.window.open.closes == date(2026, 9, 30)
    assert status.steps_to_do == (IpledgeStep.COUNSELING_CONFIRMATION,)
