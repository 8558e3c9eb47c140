"""Flagged lab results on the worklist until a later result clears them, and the minimal-peak
protocol's recheck after an abnormal result (domain.md §3.3 "more only if abnormal", §3.4)."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.cumulative_dose import DosePeriod
from desktop.rules.lab_analytes import Analyte, AnalyteResult, LabDraw, LabResults, LabUnit
from desktop.rules.lab_flags import FlagLevel, standing_flags
from desktop.rules.labs import LabDue, LabDuePurpose, LabPanel, labs_due
from desktop.rules.patients import RiskCategory
from desktop.rules.worklist import CourseFacts, ItemStatus, Severity, WorkKind, worklist_items
from tests.rules.test_labs import FLAGS, MONTHLY, PEAK

D = Decimal
LFT, LIPIDS = LabPanel.LFT, LabPanel.LIPIDS
START = date(2026, 5, 4)
PEAK_ON = date(2026, 7, 6)
"""Peak dose from 07-06, so the peak repeat is due 28 days later, on 08-03."""
DOSES = (
    DosePeriod(START, D(40)),
    DosePeriod(date(2026, 6, 1), D(60)),
    DosePeriod(PEAK_ON, D(80)),
)
BASELINE_ON = date(2026, 4, 20)


def tg(day: date, mg_dl: int | str, upper: int | None = None) -> LabDraw:
    result = AnalyteResult(Analyte.TRIGLYCERIDES, D(mg_dl), LabUnit.MG_DL, None, _d(upper))
    return LabDraw(day, LIPIDS, LabResults([result]))


def alt(day: date, u_l: int, upper: int | None = 40) -> LabDraw:
    result = AnalyteResult(Analyte.ALT, D(u_l), LabUnit.U_L, D(7), _d(upper))
    return LabDraw(day, LFT, LabResults([result]))


def _d(value: int | None) -> Decimal | None:
    return None if value is None else D(value)


BASELINE = (alt(BASELINE_ON, 25), tg(BASELINE_ON, 120))
COURSE = CourseFacts(
    category=RiskCategory.CANNOT_GET_PREGNANT,
    birth_date=date(1998, 11, 30),
    start_on=START,
    visits=(START,),
    lab_protocol=PEAK,
    lab_draws=BASELINE,
    dose_periods=DOSES,
)


def lab_items(facts: CourseFacts, on: date) -> list[tuple[str, str, str, str]]:
    return [
        (i.due_on.isoformat(), i.status.value, i.severity.value, i.message)
        for i in worklist_items(facts, on=on)
        if i.kind is WorkKind.LAB
    ]


def test_triglycerides_of_900_are_an_urgent_worklist_item() -> None:
    """§3.4: TG > 800 mg/dL is urgent, prescriber review the same day."""
    facts = replace(COURSE, lab_draws=(*BASELINE, tg(date(2026, 6, 29), 900, upper=150)))
    items = [i for i in worklist_items(facts, on=date(2026, 6, 30)) if i.kind is WorkKind.LAB]
    flagged = [i for i in items if i.due_on == date(2026, 6, 29)]
    assert [(i.status, i.severity) for i in flagged] == [(ItemStatus.OVERDUE, Severity.URGENT)]
    assert flagged[0].message == ("Triglycerides 900 mg/dL drawn 2026-06-29: triglycerides urgent")
    assert items[0] == flagged[0]  # the most urgent item of the course


def test_an_alert_is_a_warning_on_the_day_it_was_drawn() -> None:
    facts = replace(COURSE, lab_draws=(*BASELINE, alt(date(2026, 6, 29), 130)))
    assert lab_items(facts, date(2026, 6, 29))[0] == (
        "2026-06-29",
        "due",
        "warning",
        "ALT 130 U/L drawn 2026-06-29: alt alert",
    )


@pytest.mark.parametrize(
    ("later", "stands"),
    [
        pytest.param(None, "urgent", id="no-later-draw"),
        pytest.param(tg(date(2026, 7, 6), 950), "urgent", id="later-still-urgent"),
        pytest.param(tg(date(2026, 7, 6), 600), "warning", id="later-alert-still-stands"),
        pytest.param(tg(date(2026, 7, 6), 300), None, id="later-info-clears"),
        pytest.param(tg(date(2026, 7, 6), 140), None, id="later-normal-clears"),
        pytest.param(alt(date(2026, 7, 6), 20), "urgent", id="another-analyte-does-not-clear"),
        pytest.param(tg(date(2026, 6, 20), 100), "urgent", id="an-earlier-draw-does-not-clear"),
    ],
)
def test_a_flag_stands_until_a_later_result_is_not_flagged_at_that_level(
    later: LabDraw | None, stands: str | None
) -> None:
    draws = (*BASELINE, tg(date(2026, 6, 29), 900), *(() if later is None else (later,)))
    facts = replace(COURSE, lab_draws=draws)
    flagged = [
        item
        for item in worklist_items(facts, on=date(2026, 7, 10))
        if item.kind is WorkKind.LAB and "drawn" in item.message
    ]
    assert [i.severity.value for i in flagged] == ([] if stands is None else [stands])


def test_results_drawn_after_the_day_asked_do_not_count_yet() -> None:
    draws = (tg(date(2026, 6, 29), 900), tg(date(2026, 7, 6), 100))
    assert [s.flag.level for s in standing_flags(draws, FLAGS, on=date(2026, 7, 5))] == [
        FlagLevel.URGENT
    ]
    assert standing_flags(draws, FLAGS, on=date(2026, 7, 6)) == ()


def test_two_results_on_one_day_the_more_serious_stands() -> None:
    draws = (tg(date(2026, 6, 29), 900), tg(date(2026, 6, 29), 100))
    assert [s.flag.level for s in standing_flags(draws, FLAGS, on=date(2026, 6, 30))] == [
        FlagLevel.URGENT
    ]
    assert [s.flag.level for s in standing_flags(draws[::-1], FLAGS, on=date(2026, 6, 30))] == [
        FlagLevel.URGENT
    ]


def test_info_flags_stay_off_the_worklist() -> None:
    facts = replace(COURSE, lab_draws=(*BASELINE, tg(date(2026, 6, 29), 320)))
    assert not [m for *_, m in lab_items(facts, date(2026, 6, 30)) if "drawn" in m]


# --- minimal-peak: "more only if abnormal" ---------------------------------------------------

PEAK_DRAWS = (*BASELINE, alt(date(2026, 8, 3), 70), tg(date(2026, 8, 3), 320))
"""The escalating example's peak draw: ALT 70 with the lab's ULN 40 (1.75 × ULN, info:
recheck) and triglycerides 320 (info: keep to the planned rechecks)."""


def _due(draws: tuple[LabDraw, ...], on: date, protocol: object = PEAK) -> set[LabDue]:
    assert protocol in (PEAK, MONTHLY)
    return set(
        labs_due(
            PEAK if protocol is PEAK else MONTHLY,
            start_on=START,
            end_on=None,
            draws=draws,
            dose_periods=DOSES,
            on=on,
        )
    )


def test_alt_at_1_75_times_the_uln_books_a_recheck_28_days_after_the_draw() -> None:
    assert _due(PEAK_DRAWS, date(2026, 8, 10)) == {
        LabDue(
            LFT,
            date(2026, 8, 31),
            LabDuePurpose.RECHECK,
            recheck_of=date(2026, 8, 3),
            recheck_for=(Analyte.ALT,),
        )
    }
    assert lab_items(replace(COURSE, lab_draws=PEAK_DRAWS), date(2026, 8, 31)) == [
        (
            "2026-08-31",
            "due",
            "warning",
            "Recheck liver function tests due: ALT abnormal on 2026-08-03 (minimal-peak "
            "protocol: more only if abnormal).",
        )
    ]


@pytest.mark.parametrize(
    ("recheck", "expected"),
    [
        pytest.param(alt(date(2026, 8, 30), 35), set(), id="normal-recheck-ends-it"),
        pytest.param(
            alt(date(2026, 8, 30), 60),
            {LabDue(LFT, date(2026, 9, 27), LabDuePurpose.RECHECK, None, date(2026, 8, 30),
                    (Analyte.ALT,))},
            id="still-abnormal-books-the-next",
        ),
        pytest.param(
            LabDraw(date(2026, 8, 30), LFT), set(), id="a-draw-awaiting-results-is-the-recheck"
        ),
    ],
)  # fmt: skip
def test_a_later_draw_of_the_panel_is_the_recheck(recheck: LabDraw, expected: set[LabDue]) -> None:
    assert _due((*PEAK_DRAWS, recheck), date(2026, 9, 1)) == expected


@pytest.mark.parametrize(
    ("draw", "rechecked"),
    [
        pytest.param(tg(date(2026, 8, 3), 320), False, id="TG-320-info-keeps-the-plan"),
        pytest.param(tg(date(2026, 8, 3), 600), True, id="TG-600-alert-recheck-sooner"),
        pytest.param(tg(date(2026, 8, 3), 900), True, id="TG-900-urgent"),
        pytest.param(tg(date(2026, 8, 3), 170, upper=150), False, id="TG-over-labs-limit-info"),
        pytest.param(alt(date(2026, 8, 3), 40), False, id="ALT-at-ULN"),
        pytest.param(alt(date(2026, 8, 3), 41), True, id="ALT-just-above-ULN"),
        pytest.param(alt(date(2026, 8, 3), 41, upper=None), False, id="ALT-without-ULN-asks"),
    ],
)
def test_which_peak_results_book_a_recheck(draw: LabDraw, rechecked: bool) -> None:
    """§3.4: "recheck" for ALT/AST above the ULN and TG 500 or more; TG above normal only
    keeps to the planned rechecks."""
    draws = (*BASELINE, alt(date(2026, 8, 3), 25), tg(date(2026, 8, 3), 100), draw)
    due = _due(draws, date(2026, 8, 10))
    assert {d.purpose for d in due} == ({LabDuePurpose.RECHECK} if rechecked else set())


def test_an_abnormal_baseline_is_rechecked_before_the_peak_repeat() -> None:
    draws = (alt(BASELINE_ON, 70), tg(BASELINE_ON, 120))
    assert _due(draws, date(2026, 5, 1)) == {
        LabDue(LFT, date(2026, 5, 18), LabDuePurpose.RECHECK, None, BASELINE_ON, (Analyte.ALT,)),
        LabDue(LIPIDS, date(2026, 8, 3), LabDuePurpose.REPEAT),
    }
    after = (*draws, alt(date(2026, 5, 18), 30))
    assert LabDue(LFT, date(2026, 8, 3), LabDuePurpose.REPEAT) in _due(after, date(2026, 5, 20))


def test_no_recheck_after_the_last_dose() -> None:
    """§3.2: labs are not repeated after treatment."""
    due = labs_due(
        PEAK,
        start_on=START,
        end_on=date(2026, 8, 20),
        draws=PEAK_DRAWS,
        dose_periods=DOSES,
        on=date(2026, 8, 10),
    )
    assert due == ()


def test_clinic_monthly_keeps_its_monthly_repeat_after_an_abnormal_result() -> None:
    """The protocol file gives no abnormal_recheck_days: the monthly repeat is the recheck."""
    assert MONTHLY.abnormal_recheck_days is None
    assert {d.purpose for d in _due(PEAK_DRAWS, date(2026, 8, 10), MONTHLY)} == {
        LabDuePurpose.REPEAT
    }
