"""plan_course: dose progress, iPLEDGE status, labs, post-course duties (DESIGN.md plan keys)."""

import copy
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.rules.course_description import parse_course_description
from desktop.rules.course_plan import Plan, plan_course
from desktop.rules.fill_window import WindowBasis
from desktop.rules.formulary import FoodRequirement, Product
from desktop.rules.ipledge_rule_sets import RuleSetId
from desktop.rules.labs import LabDue, LabDuePurpose, LabPanel, LabProtocol, RepeatRule

CHANGE = date(2026, 8, 8)
MONTHLY = LabProtocol(
    "clinic-monthly", "t", 30, (LabPanel.LFT, LabPanel.LIPIDS), (), RepeatRule.MONTHLY, None, ()
)
DESIGN_EXAMPLE: dict[str, Any] = {
    "patient": {"birth_date": "2007-05-14", "can_get_pregnant": True},
    "product": "generic",
    "start_date": "2026-01-05",
    "end_date": None,
    "target_mg_per_kg": 150,
    "lab_protocol": "clinic-monthly",
    "weights": [{"date": "2026-01-05", "kg": Decimal("62.0")}],
    "doses": [{"from": "2026-01-05", "mg_per_day": 30}, {"from": "2026-02-02", "mg_per_day": 60}],
    "pregnancy_tests": [
        {"specimen_date": "2026-01-02", "result": "negative", "purpose": "confirmation"}
    ],
    "counseling_confirmations": ["2026-01-02"],
    "comprehension_answers": ["2026-01-03"],
    "contraception": [{"from": "2025-12-01", "primary": "IUD", "secondary": "condom"}],
    "fills": [{"date": "2026-01-05", "days_supply": 30}],
    "labs": [{"date": "2025-12-28", "panel": "lipids", "results": {"triglycerides_mg_dl": 140}}],
}


def plan(data: dict[str, Any], on: date, *, change: date = CHANGE, **kw: Any) -> Plan:
    return plan_course(
        parse_course_description(data),
        on=on,
        formulary_product=kw.get("product"),
        lab_protocol=kw.get("protocol", MONTHLY),
        ipledge_modification_effective_on=change,
    )


def with_(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(DESIGN_EXAMPLE)
    data.update(changes)
    return data


def test_design_example_on_1_march() -> None:
    """§8 C1: 30 mg × 28 d + 60 mg × 28 d = 2520 mg; ÷ 62 kg = 40.65 mg/kg; (150 × 62 −
    2520) = 6780 mg ÷ 60 = 113 days → 2026-06-22."""
    result = plan(DESIGN_EXAMPLE, date(2026, 3, 1))
    progress = result.progress
    assert result.rule_set is RuleSetId.IPLEDGE_2021
    assert progress.cumulative_mg == 2520
    assert progress.cumulative_mg_per_kg == Decimal("40.65")
    assert progress.remaining_mg == 6780
    assert progress.days_to_target == 113
    assert progress.projected_last_dose_on == date(2026, 6, 22)
    assert (result.fill_window, result.first_course, result.post_course) == (None, None, None)
    assert result.labs_due == (
        LabDue(LabPanel.LFT, date(2026, 1, 5), LabDuePurpose.BASELINE, date(2025, 12, 6)),
        LabDue(LabPanel.LIPIDS, date(2026, 1, 28), LabDuePurpose.REPEAT),
    )


def test_before_the_first_dose_the_projection_starts_on_the_start_date() -> None:
    """9300 mg ÷ 30 mg = 310 days counted from 2026-01-05 (day 1) → 2026-11-10."""
    progress = plan(DESIGN_EXAMPLE, date(2026, 1, 1)).progress
    assert progress.cumulative_mg == 0
    assert (progress.days_to_target, progress.projected_last_dose_on) == (310, date(2026, 11, 10))


def test_doses_are_counted_through_the_plan_day_inclusive() -> None:
    assert plan(DESIGN_EXAMPLE, date(2026, 1, 5)).progress.cumulative_mg == 30
    assert plan(DESIGN_EXAMPLE, date(2026, 2, 2)).progress.cumulative_mg == 28 * 30 + 60


def test_missed_days_and_a_weight_change() -> None:
    """§8 C1: each day's mg ÷ that day's weight; 2 missed days at 30 mg."""
    data = with_(
        weights=[{"date": "2026-01-05", "kg": 62}, {"date": "2026-01-19", "lb": 143}],
        missed_days=["2026-01-10", "2026-01-11"],
    )
    progress = plan(data, date(2026, 2, 1)).progress
    # 28 days − 2 missed = 26 × 30 = 780 mg; 12 days at 62 kg, 14 days at 64.86 kg.
    assert progress.cumulative_mg == 780
    expected = Decimal(360) / 62 + Decimal(420) / (Decimal(143) * Decimal("0.45359237"))
    assert progress.cumulative_mg_per_kg == round(expected, 2)


def test_finished_course_projects_nothing() -> None:
    progress = plan(with_(end_date="2026-02-01"), date(2026, 3, 1)).progress
    assert progress.cumulative_mg == 840
    assert progress.days_to_target is None
    assert progress.projected_last_dose_on == date(2026, 2, 1)
    assert progress.remaining_mg == 9300 - 840


def test_without_weights_only_mg_is_known() -> None:
    progress = plan(with_(weights=[]), date(2026, 1, 10)).progress
    assert progress.cumulative_mg == 180
    assert progress.cumulative_mg_per_kg is None
    assert progress.days_to_target is None


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        pytest.param(date(2026, 8, 7), RuleSetId.IPLEDGE_2021, id="§0-day-before"),
        pytest.param(date(2026, 8, 8), RuleSetId.IPLEDGE_2026, id="§0-day-of"),
        pytest.param(date(2026, 8, 9), RuleSetId.IPLEDGE_2026, id="§0-day-after"),
    ],
)
def test_rule_set_in_force_on_the_plan_day(on: date, expected: RuleSetId) -> None:
    assert plan(DESIGN_EXAMPLE, on).rule_set is expected


FIRST = with_(
    start_date="2026-07-25",
    doses=[{"from": "2026-07-25", "mg_per_day": 30}],
    pregnancy_tests=[
        {"specimen_date": "2026-07-01", "result": "negative", "purpose": "screening"},
        {"specimen_date": "2026-07-25", "result": "negative", "purpose": "confirmation"},
    ],
    fills=[],
    labs=[],
)


def test_first_course_window_is_open_after_the_confirmation_test() -> None:
    """§8 W7: 07-25 + 6 = 07-31."""
    result = plan(FIRST, date(2026, 7, 27))
    assert result.fill_window is not None
    assert (result.fill_window.opens, result.fill_window.closes) == (
        date(2026, 7, 25),
        date(2026, 7, 31),
    )
    assert result.first_course is not None
    assert result.first_course.earliest_confirmation_test == date(2026, 7, 20)
    assert result.next_confirmation_test_not_before is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        pytest.param(date(2026, 8, 8), date(2026, 8, 8), id="§1.3-after-change-no-wait"),
        pytest.param(date(2026, 9, 1), date(2026, 8, 13), id="§1.3-before-change-19-days"),
    ],
)
def test_missed_first_window(change: date, expected: date) -> None:
    result = plan(FIRST, date(2026, 8, 3), change=change)
    assert result.fill_window is None
    assert result.next_confirmation_test_not_before == expected
    assert result.first_course is not None
    assert result.first_course.earliest_confirmation_test == expected


def test_pcngp_window_after_the_change_is_clinic_policy() -> None:
    """§1.6, §7.2: the pharmacy window is gone; IsoTrack keeps 30 days as clinic policy."""
    data = with_(
        patient={"birth_date": "1990-01-01", "can_get_pregnant": False},
        start_date="2026-09-01",
        doses=[{"from": "2026-09-01", "mg_per_day": 40}],
        pregnancy_tests=[],
        counseling_confirmations=["2026-09-01"],
        fills=[],
        labs=[],
    )
    result = plan(data, date(2026, 9, 2))
    assert result.fill_window is not None
    assert result.fill_window.closes == date(2026, 9, 30)
    assert result.fill_window.basis is WindowBasis.CLINIC_POLICY
    assert result.first_course is None


def test_post_course_by_category() -> None:
    """§1.7: months by §8 M1 from the last dose 2026-01-31."""
    can = plan(with_(end_date="2026-01-31"), date(2026, 2, 10)).post_course
    assert can is not None
    assert can.pregnancy_test_due == date(2026, 2, 28)
    assert can.no_cosmetic_procedures_until == date(2026, 7, 31)
    assert can.earliest_next_course == date(2026, 3, 31)
    cannot_data = with_(
        end_date="2026-01-31", patient={"birth_date": "1990-01-01", "can_get_pregnant": False}
    )
    cannot = plan(cannot_data, date(2026, 2, 10)).post_course
    assert cannot is not None
    assert (cannot.pregnancy_test_due, cannot.contraception_until) == (None, None)


def test_warnings_for_recorded_facts_and_low_dose_product() -> None:
    data = with_(
        pregnancy_tests=[
            {
                "specimen_date": "2026-01-02",
                "result": "negative",
                "purpose": "confirmation",
                "setting": "home",
            },
        ],
        contraception=[
            {"from": "2025-12-01", "primary": "progestin_only_pill", "secondary": "condom"}
        ],
    )
    low_dose = Product(
        "absorica-ld",
        "Absorica LD",
        (8, 16, 20, 24, 28, 32),
        FoodRequirement.WITH_OR_WITHOUT_MEAL,
        Decimal("0.4"),
        Decimal("0.8"),
        Decimal("1.6"),
        is_low_dose_formulation=True,
    )
    warnings = plan(data, date(2026, 1, 10), product=low_dose).warnings
    # A home confirmation test with no screening test before it: two reasons, one verdict.
    assert [w.split(": ")[0] for w in warnings[:4]] == [
        "pregnancy_tests[0].setting",
        "pregnancy_tests[0].specimen_date",
        "pregnancy_tests[0]",
        "contraception[0].primary",
    ]
    assert "2026-01-02 does not count and opens no fill window" in warnings[2]
    assert "Absorica LD" in warnings[4]


def test_positive_test_is_the_first_item_due() -> None:
    data = with_(
        pregnancy_tests=[
            *DESIGN_EXAMPLE["pregnancy_tests"],
            {"specimen_date": "2026-02-03", "result": "positive", "purpose": "monthly"},
        ]
    )
    first = plan(data, date(2026, 2, 4)).due[0]
    assert (first.kind.value, first.severity.value) == ("pregnancy_test_positive", "urgent")


TEST_DAY = st.dates(min_value=date(2026, 6, 1), max_value=date(2026, 10, 31))


@settings(max_examples=150, deadline=None)
@given(
    specimens=st.lists(TEST_DAY, max_size=4),
    fills=st.lists(TEST_DAY, max_size=3, unique=True),
    on=TEST_DAY,
)
def test_fill_window_never_opens_before_its_specimen(
    specimens: list[date], fills: list[date], on: date
) -> None:
    data = with_(
        start_date="2026-06-01",
        doses=[{"from": "2026-06-01", "mg_per_day": 40}],
        pregnancy_tests=[
            {"specimen_date": d.isoformat(), "result": "negative", "purpose": "monthly"}
            for d in sorted(specimens)
        ],
        fills=[{"date": d.isoformat(), "days_supply": 30} for d in sorted(fills)],
        labs=[],
    )
    window = plan(data, on).fill_window
    if window is not None:
        assert window.opens in specimens
        assert window.opens <= on <= window.closes
        assert window.closes == window.opens + timedelta(days=6)
        assert not any(window.opens <= f <= on for f in fills)


@settings(max_examples=60, deadline=None)
@given(st.dates(min_value=date(2025, 12, 1), max_value=date(2026, 12, 31)), st.integers(1, 90))
def test_cumulative_dose_never_decreases(on: date, later: int) -> None:
    first = plan(DESIGN_EXAMPLE, on).progress
    second = plan(DESIGN_EXAMPLE, on + timedelta(days=later)).progress
    assert second.cumulative_mg >= first.cumulative_mg
    assert (second.cumulative_mg_per_kg or 0) >= (first.cumulative_mg_per_kg or 0)


@pytest.mark.parametrize(
    ("birth_date", "on", "warned"),
    [
        pytest.param("2014-03-02", date(2026, 3, 1), True, id="§2.1-day-before-12th-birthday"),
        pytest.param("2014-03-02", date(2026, 3, 2), False, id="§2.1-on-12th-birthday"),
        pytest.param("2012-02-29", date(2024, 2, 28), True, id="§2.1-leap-day-birthday-not-yet"),
        pytest.param("2012-02-29", date(2024, 2, 29), False, id="§2.1-leap-day-birthday"),
    ],
)
def test_a_patient_under_12_on_the_plan_day_is_warned(
    birth_date: str, on: date, warned: bool
) -> None:
    """§2.1: labelled from 12 years, judged on the plan's day like `isotrack dose`."""
    data = with_(
        patient={"birth_date": birth_date, "can_get_pregnant": False}, start_date="2024-03-01"
    )
    data["doses"][0]["from"] = "2024-03-01"
    ages = [w for w in plan(data, on).warnings if w.startswith("patient.birth_date: ")]
    assert bool(ages) is warned
    if warned:
        assert ages == [
            "patient.birth_date: The patient is 11: isotretinoin is labelled from 12 years; "
            "the prescriber decides."
        ]


@pytest.mark.parametrize(
    ("fills", "doses", "on", "counted"),
    [
        pytest.param(
            [],
            [{"from": "2026-01-05", "mg_per_day": 30}],
            date(2026, 1, 14),
            300,
            id="§8-C1-ten-planned-days-no-fill",
        ),
        pytest.param(
            [],
            [{"from": "2026-01-05", "mg_per_day": 30}],
            date(2026, 1, 4),
            None,
            id="before-the-start-nothing-counted",
        ),
        pytest.param(
            [{"date": "2026-01-05", "days_supply": 30}],
            [{"from": "2026-01-05", "mg_per_day": 30}],
            date(2026, 1, 14),
            None,
            id="a-fill-on-record",
        ),
        pytest.param(
            [{"date": "2026-01-20", "days_supply": 30}],
            [{"from": "2026-01-05", "mg_per_day": 30}],
            date(2026, 1, 14),
            300,
            id="a-fill-not-yet-on-the-plan-day",
        ),
        pytest.param(
            [],
            [{"from": "2026-01-05", "mg_per_day": 0}],
            date(2026, 1, 14),
            None,
            id="§8-C1-a-hold-counts-nothing",
        ),
    ],
)
def test_doses_counted_with_no_fill_recorded_are_flagged(
    fills: list[dict[str, Any]], doses: list[dict[str, Any]], on: date, counted: int | None
) -> None:
    flagged = [
        w for w in plan(with_(fills=fills, doses=doses), on).warnings if w.startswith("fills: ")
    ]
    if counted is None:
        assert flagged == []
    else:
        assert flagged == [
            f"fills: no fill is recorded by {on.isoformat()}, yet {counted} mg is counted from "
            "the planned doses since 2026-01-05: doses are counted as planned; record the fill, "
            "or move the start date if the patient has not started."
        ]
