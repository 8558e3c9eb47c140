"""Lab protocol due dates and result flags (domain.md §3.3, §3.4, §8 M1)."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.cumulative_dose import DosePeriod
from desktop.rules.labs import (
    Analyte,
    Comparison,
    FlagLevel,
    FlagRule,
    LabDraw,
    LabDue,
    LabDuePurpose,
    LabPanel,
    LabProtocol,
    LabResults,
    RepeatRule,
    ThresholdScale,
    flag_results,
    labs_due,
    peak_dose_starts_on,
    tg_mg_dl_to_mmol_l,
    tg_mmol_l_to_mg_dl,
)

LFT, LIPIDS, CBC = LabPanel.LFT, LabPanel.LIPIDS, LabPanel.CBC
BASELINE, REPEAT = LabDuePurpose.BASELINE, LabDuePurpose.REPEAT


def rule(
    analyte: Analyte,
    comparison: Comparison,
    threshold: int,
    level: FlagLevel,
    *,
    normal: bool = False,
    recheck: bool = True,
) -> FlagRule:
    scale = ThresholdScale.MG_DL if analyte is Analyte.TRIGLYCERIDES else ThresholdScale.TIMES_ULN
    message = f"{analyte} {level}"
    return FlagRule(analyte, comparison, Decimal(threshold), scale, level, message, normal, recheck)


FLAGS = (
    rule(
        Analyte.TRIGLYCERIDES, Comparison.AT_LEAST, 150, FlagLevel.INFO, normal=True, recheck=False
    ),
    rule(Analyte.TRIGLYCERIDES, Comparison.AT_LEAST, 500, FlagLevel.ALERT),
    rule(Analyte.TRIGLYCERIDES, Comparison.ABOVE, 800, FlagLevel.URGENT),
    rule(Analyte.ALT, Comparison.ABOVE, 1, FlagLevel.INFO),
    rule(Analyte.ALT, Comparison.ABOVE, 3, FlagLevel.ALERT),
    rule(Analyte.AST, Comparison.ABOVE, 1, FlagLevel.INFO),
    rule(Analyte.AST, Comparison.ABOVE, 3, FlagLevel.ALERT),
)
"""As the shipped protocols set them (§3.4): TG 150 stands for the lab's upper limit; every
other threshold asks for a recheck."""
MONTHLY = LabProtocol(
    "clinic-monthly", "t", 30, (LFT, LIPIDS), (CBC,), RepeatRule.MONTHLY, None, FLAGS
)
PEAK = LabProtocol("minimal-peak", "t", 30, (LFT, LIPIDS), (), RepeatRule.PEAK_DOSE, 28, FLAGS, 28)
START = date(2026, 1, 5)
DOSES = (DosePeriod(START, Decimal(30)), DosePeriod(date(2026, 2, 2), Decimal(60)))


def draws(day: date, *panels: LabPanel) -> tuple[LabDraw, ...]:
    return tuple(LabDraw(day, panel) for panel in panels)


def due(protocol: LabProtocol, known: tuple[LabDraw, ...], on: date, **kw: object) -> set[LabDue]:
    end_on = kw.get("end_on")
    assert end_on is None or isinstance(end_on, date)
    return set(
        labs_due(
            protocol,
            start_on=START,
            end_on=end_on,
            draws=known,
            dose_periods=DOSES,
            on=on,
            include_optional_panels=bool(kw.get("optional", False)),
        )
    )


def test_baseline_is_due_by_the_first_dose_within_30_days_before() -> None:
    """§3.3: baseline ≤ 30 days before start."""
    opens = date(2025, 12, 6)
    assert due(MONTHLY, (), date(2026, 1, 1)) == {
        LabDue(LFT, START, BASELINE, opens),
        LabDue(LIPIDS, START, BASELINE, opens),
    }


def test_a_draw_before_the_baseline_window_does_not_count() -> None:
    result = due(MONTHLY, draws(date(2025, 12, 5), LFT, LIPIDS), date(2026, 1, 1))
    assert {d.purpose for d in result} == {BASELINE}


def test_optional_cbc_only_when_the_clinic_ticks_it() -> None:
    assert CBC not in {d.panel for d in due(MONTHLY, (), date(2026, 1, 1))}
    assert CBC in {d.panel for d in due(MONTHLY, (), date(2026, 1, 1), optional=True)}


@pytest.mark.parametrize(
    ("last_draw", "expected"),
    [
        pytest.param(date(2025, 12, 28), date(2026, 1, 28), id="§3.3-M1-month-after-baseline"),
        pytest.param(date(2026, 1, 31), date(2026, 2, 28), id="§3.3-M1-clamped-to-february"),
        pytest.param(date(2026, 3, 31), date(2026, 4, 30), id="§3.3-M1-clamped-to-april"),
    ],
)
def test_clinic_monthly_repeats_every_calendar_month(last_draw: date, expected: date) -> None:
    known = draws(date(2025, 12, 28), LFT, LIPIDS) + draws(last_draw, LFT, LIPIDS)
    assert due(MONTHLY, known, last_draw) == {
        LabDue(LFT, expected, REPEAT),
        LabDue(LIPIDS, expected, REPEAT),
    }


def test_leap_year_monthly_repeat() -> None:
    known = draws(date(2028, 1, 30), LFT)
    result = labs_due(
        MONTHLY,
        start_on=date(2028, 2, 1),
        end_on=None,
        draws=known,
        dose_periods=(),
        on=date(2028, 2, 1),
    )
    assert LabDue(LFT, date(2028, 2, 29), REPEAT) in result


def test_nothing_is_due_after_the_last_dose() -> None:
    """§3.2: not after treatment."""
    known = draws(date(2025, 12, 28), LFT, LIPIDS) + draws(date(2026, 1, 20), LFT, LIPIDS)
    assert due(MONTHLY, known, date(2026, 2, 1), end_on=date(2026, 2, 15)) == set()
    assert due(MONTHLY, (), date(2026, 3, 1), end_on=date(2026, 2, 28)) == set()


def test_draws_after_the_day_asked_are_not_known_yet() -> None:
    known = draws(date(2025, 12, 28), LFT, LIPIDS)
    assert {d.purpose for d in due(MONTHLY, known, date(2025, 12, 27))} == {BASELINE}


@pytest.mark.parametrize(
    ("peak_draw", "expected"),
    [
        pytest.param(
            None,
            {LabDue(LFT, date(2026, 3, 2), REPEAT), LabDue(LIPIDS, date(2026, 3, 2), REPEAT)},
            id="§3.3-peak-plus-28",
        ),
        pytest.param(
            date(2026, 2, 22),
            {LabDue(LFT, date(2026, 3, 2), REPEAT), LabDue(LIPIDS, date(2026, 3, 2), REPEAT)},
            id="§3.3-too-early-to-count",
        ),
        pytest.param(date(2026, 2, 23), set(), id="§3.3-early-allowance-7-days"),
        pytest.param(date(2026, 3, 5), set(), id="§3.3-late-draw-counts"),
    ],
)
def test_minimal_peak_repeats_once_28_days_into_the_highest_dose(
    peak_draw: date | None, expected: set[LabDue]
) -> None:
    known = draws(date(2025, 12, 28), LFT, LIPIDS)
    if peak_draw is not None:
        known += draws(peak_draw, LFT, LIPIDS)
    assert due(PEAK, known, date(2026, 3, 10)) == expected


def test_peak_is_the_first_day_of_the_highest_planned_dose() -> None:
    periods = (
        DosePeriod(date(2026, 1, 1), Decimal(60)),
        DosePeriod(date(2026, 2, 1), Decimal(40)),
        DosePeriod(date(2026, 3, 1), Decimal(60)),
    )
    assert peak_dose_starts_on(periods) == date(2026, 1, 1)
    assert peak_dose_starts_on(()) is None


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        pytest.param(LabResults(triglycerides_mg_dl=Decimal(140)), (), id="§3.4-TG-normal"),
        pytest.param(
            LabResults(triglycerides_mg_dl=Decimal(150)), (FlagLevel.INFO,), id="§3.4-TG-150-info"
        ),
        pytest.param(
            LabResults(triglycerides_mg_dl=Decimal(499)), (FlagLevel.INFO,), id="§3.4-TG-499-info"
        ),
        pytest.param(
            LabResults(triglycerides_mg_dl=Decimal(500)), (FlagLevel.ALERT,), id="§3.4-TG-500-alert"
        ),
        pytest.param(
            LabResults(triglycerides_mg_dl=Decimal(800)), (FlagLevel.ALERT,), id="§3.4-TG-800-alert"
        ),
        pytest.param(
            LabResults(triglycerides_mg_dl=Decimal(801)),
            (FlagLevel.URGENT,),
            id="§3.4-TG-over-800-urgent",
        ),
        pytest.param(
            LabResults(triglycerides_mmol_l=Decimal("9.1")),
            (FlagLevel.URGENT,),
            id="§3.4-TG-9.1-mmol-is-806-mg",
        ),
        pytest.param(
            LabResults(triglycerides_mmol_l=Decimal("1.69")), (), id="§3.4-TG-1.69-mmol-is-149.7-mg"
        ),
        pytest.param(
            LabResults(triglycerides_mmol_l=Decimal("1.70")),
            (FlagLevel.INFO,),
            id="§3.4-TG-1.70-mmol-is-150.6-mg",
        ),
        pytest.param(
            LabResults(alt_u_l=Decimal(40), alt_uln_u_l=Decimal(40)), (), id="§3.4-ALT-at-ULN"
        ),
        pytest.param(
            LabResults(alt_u_l=Decimal(41), alt_uln_u_l=Decimal(40)),
            (FlagLevel.INFO,),
            id="§3.4-ALT-above-ULN-info",
        ),
        pytest.param(
            LabResults(alt_u_l=Decimal(120), alt_uln_u_l=Decimal(40)),
            (FlagLevel.INFO,),
            id="§3.4-ALT-3xULN-info",
        ),
        pytest.param(
            LabResults(alt_u_l=Decimal(121), alt_uln_u_l=Decimal(40)),
            (FlagLevel.ALERT,),
            id="§3.4-ALT-over-3xULN-alert",
        ),
        pytest.param(
            LabResults(ast_u_l=Decimal(100), ast_uln_u_l=Decimal(35)),
            (FlagLevel.INFO,),
            id="§3.4-AST-100-is-2.86xULN-of-35",
        ),
        pytest.param(
            LabResults(ast_u_l=Decimal(100), ast_uln_u_l=Decimal(33)),
            (FlagLevel.ALERT,),
            id="§3.4-AST-100-is-3.03xULN-of-33",
        ),
    ],
)
def test_flags_use_the_highest_matching_threshold(
    results: LabResults, expected: tuple[FlagLevel, ...]
) -> None:
    flags = flag_results(LabDraw(date(2026, 2, 1), LIPIDS, results), FLAGS)
    assert tuple(f.level for f in flags) == expected


def test_alt_without_the_labs_uln_asks_for_it() -> None:
    (flag,) = flag_results(LabDraw(date(2026, 2, 1), LFT, LabResults(alt_u_l=Decimal(85))), FLAGS)
    assert flag.level is FlagLevel.INFO
    assert "upper limit of normal" in flag.message


def test_triglyceride_unit_conversion() -> None:
    """§3.4: mg/dL × 0.01129 = mmol/L."""
    assert tg_mg_dl_to_mmol_l(Decimal(100)) == Decimal("1.129")
    assert round(tg_mmol_l_to_mg_dl(Decimal("9")), 1) == Decimal("797.2")


@given(st.decimals(min_value=1, max_value=5000, places=2))
def test_tg_conversion_round_trips(mg_dl: Decimal) -> None:
    assert abs(tg_mmol_l_to_mg_dl(tg_mg_dl_to_mmol_l(mg_dl)) - mg_dl) < Decimal("1e-20")


@given(st.dates(min_value=date(2025, 12, 6), max_value=date(2030, 1, 1)))
def test_monthly_repeat_is_due_after_the_last_draw(last: date) -> None:
    known = draws(last, LFT)
    for item in labs_due(
        MONTHLY, start_on=START, end_on=None, draws=known, dose_periods=DOSES, on=last
    ):
        if item.panel is LFT:
            assert item.purpose is REPEAT
            assert 28 <= (item.due_on - last).days <= 31
