"""Cumulative mg, mg/kg and the projection to target (domain.md §2.3, §2.4, §8 C1)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.cumulative_dose import (
    DEFAULT_TARGET_MG_PER_KG,
    STANDARD_TARGETS_MG_PER_KG,
    CumulativeDose,
    DosePeriod,
    WeightEntry,
    check_target_mg_per_kg,
    cumulative_dose,
    project_to_target,
    round_mg_per_kg,
    target_notes,
    weight_on,
)

D = Decimal
NONE: frozenset[date] = frozenset()


def kg(on: date, value: str) -> WeightEntry:
    return WeightEntry(on, D(value))


def mg(on: date, value: str) -> DosePeriod:
    return DosePeriod(on, D(value))


# Row: periods, weights, missed, through, last_dose_on → mg, days, mg/kg (2 dp), by hand.
CASES = [
    pytest.param(
        [mg(date(2026, 1, 5), "30")],
        [kg(date(2026, 1, 5), "60")],
        NONE,
        date(2026, 1, 5),
        None,
        "30",
        1,
        "0.50",
        id="§8C1-first-day-counts-inclusive",
    ),
    pytest.param(
        [mg(date(2026, 1, 31), "40")],
        [kg(date(2026, 1, 31), "80")],
        NONE,
        date(2026, 3, 1),
        None,
        "1200",  # Jan 31 (1) + Feb (28) + Mar 1 (1) = 30 days x 40
        30,
        "15.00",
        id="§8C1-month-end-common-year-February",
    ),
    pytest.param(
        [mg(date(2028, 1, 31), "40")],
        [kg(date(2028, 1, 31), "80")],
        NONE,
        date(2028, 3, 1),
        None,
        "1240",  # leap year: 31 days x 40
        31,
        "15.50",
        id="§8C1-leap-year-February-29-counts",
    ),
    pytest.param(
        [mg(date(2026, 1, 5), "30"), mg(date(2026, 2, 2), "60")],
        [kg(date(2026, 1, 5), "62")],
        NONE,
        date(2026, 2, 10),
        None,
        "1380",  # 28 days x 30 (Jan 5..Feb 1) + 9 days x 60 (Feb 2..10) = 840 + 540
        37,
        "22.26",  # 1380 / 62 = 22.2580…
        id="§8C1-dose-change-course-description-example",
    ),
    pytest.param(
        [mg(date(2026, 3, 1), "60")],
        [kg(date(2026, 3, 1), "60"), kg(date(2026, 3, 11), "75")],
        NONE,
        date(2026, 3, 20),
        None,
        "1200",  # 10 days at 60 kg → 10 mg/kg; 10 days at 75 kg → 8 mg/kg
        20,
        "18.00",
        id="§2.3-weight-in-effect-each-day-mid-course-change",
    ),
    pytest.param(
        [mg(date(2026, 3, 1), "60")],
        [kg(date(2026, 3, 10), "60")],
        NONE,
        date(2026, 3, 10),
        None,
        "600",  # weight recorded on day 10 applies to days 1–9 too
        10,
        "10.00",
        id="§8C1-first-weight-applies-before-it-was-measured",
    ),
    pytest.param(
        [mg(date(2026, 3, 1), "40")],
        [kg(date(2026, 3, 1), "50")],
        frozenset({date(2026, 3, 2), date(2026, 3, 3), date(2026, 4, 30), date(2026, 2, 1)}),
        date(2026, 3, 10),
        None,
        "320",  # 10 days − 2 missed inside the range (dates outside are ignored)
        8,
        "6.40",
        id="§8C1-missed-days-subtracted",
    ),
    pytest.param(
        [mg(date(2026, 3, 1), "40")],
        [kg(date(2026, 3, 1), "50")],
        NONE,
        date(2026, 3, 31),
        date(2026, 3, 5),
        "200",
        5,
        "4.00",
        id="§8C1-stops-at-last-dose",
    ),
    pytest.param(
        [mg(date(2026, 3, 1), "40"), mg(date(2026, 3, 4), "0"), mg(date(2026, 3, 8), "40")],
        [kg(date(2026, 3, 1), "50")],
        frozenset({date(2026, 3, 5)}),
        date(2026, 3, 9),
        None,
        "200",  # 3 days, hold 4 days (a missed day in a hold is not subtracted twice), 2 days
        5,
        "4.00",
        id="§8C1-hold-period-is-not-dosing",
    ),
    pytest.param(
        [mg(date(2026, 3, 1), "40")],
        [kg(date(2026, 3, 1), "50")],
        NONE,
        date(2026, 2, 28),
        None,
        "0",
        0,
        "0.00",
        id="§8C1-before-start-nothing-counted",
    ),
]


@pytest.mark.parametrize(
    ("periods", "weights", "missed", "through", "last", "total_mg", "days", "mg_per_kg"), CASES
)
def test_cumulative_dose_matches_hand_worked_totals(
    periods: list[DosePeriod],
    weights: list[WeightEntry],
    missed: frozenset[date],
    through: date,
    last: date | None,
    total_mg: str,
    days: int,
    mg_per_kg: str,
) -> None:
    result = cumulative_dose(periods, weights, missed, through=through, last_dose_on=last)
    assert result.cumulative_mg == D(total_mg)
    assert result.dosing_days == days
    assert round_mg_per_kg(result.cumulative_mg_per_kg) == D(mg_per_kg)


def test_cumulative_dose_ignores_the_order_periods_are_given_in() -> None:
    periods = [mg(date(2026, 2, 2), "60"), mg(date(2026, 1, 5), "30")]
    result = cumulative_dose(periods, [kg(date(2026, 1, 5), "62")], NONE, through=date(2026, 2, 10))
    assert result.cumulative_mg == D(1380)
    assert result.first_dose_on == date(2026, 1, 5)


@pytest.mark.parametrize(
    ("periods", "weights"),
    [
        pytest.param([mg(date(2026, 1, 1), "30")], [], id="no-weight"),
        pytest.param([mg(date(2026, 1, 1), "30")], [kg(date(2026, 1, 1), "0")], id="zero-kg"),
        pytest.param([mg(date(2026, 1, 1), "-5")], [kg(date(2026, 1, 1), "60")], id="negative-mg"),
        pytest.param(
            [mg(date(2026, 1, 1), "30"), mg(date(2026, 1, 1), "40")],
            [kg(date(2026, 1, 1), "60")],
            id="two-doses-one-day",
        ),
    ],
)
def test_cumulative_dose_rejects_impossible_input(
    periods: list[DosePeriod], weights: list[WeightEntry]
) -> None:
    with pytest.raises(ValueError, match=r"\w"):
        cumulative_dose(periods, weights, NONE, through=date(2026, 2, 1))


@pytest.mark.parametrize(
    ("mg_per_day", "target", "days"),
    [
        pytest.param("70", "150", 150, id="§2.4-70kg-1mg/kg-150mg/kg-150-days"),
        pytest.param("70", "120", 120, id="§2.4-70kg-1mg/kg-120mg/kg-120-days"),
        pytest.param("35", "150", 300, id="§2.4-70kg-0.5mg/kg-150mg/kg-300-days"),
        pytest.param("35", "120", 240, id="§2.4-70kg-0.5mg/kg-120mg/kg-240-days"),
        pytest.param("40", "150", 263, id="§8C1-ceil-10500/40=262.5→263"),
    ],
)
def test_projection_from_zero_matches_worked_example(
    mg_per_day: str, target: str, days: int
) -> None:
    start = date(2026, 1, 5)
    zero = cumulative_dose(
        [mg(start, mg_per_day)], [kg(start, "70")], NONE, through=start - timedelta(1)
    )
    projection = project_to_target(
        zero,
        target_mg_per_kg=D(target),
        current_mg_per_day=D(mg_per_day),
        current_weight_kg=D(70),
        after=start - timedelta(days=1),
    )
    assert projection.days_to_target == days
    # Day 1 is the start date itself (domain.md §8), so the last dose is start + days − 1.
    assert projection.projected_last_dose_on == start + timedelta(days=days - 1)


def test_projection_counting_through_the_last_dose_lands_exactly_on_target() -> None:
    """§2.4: dosing 70 mg/day at 70 kg for the projected 150 days gives exactly 150 mg/kg."""
    start = date(2026, 1, 5)
    last = start + timedelta(days=149)
    done = cumulative_dose([mg(start, "70")], [kg(start, "70")], NONE, through=last)
    assert done.cumulative_mg_per_kg == D(150)
    projection = project_to_target(
        done,
        target_mg_per_kg=D(150),
        current_mg_per_day=D(70),
        current_weight_kg=D(70),
        after=last,
    )
    assert projection.is_reached
    assert projection.remaining_mg == 0
    assert projection.projected_last_dose_on == last


def test_projection_has_no_date_while_dose_is_on_hold() -> None:
    zero = CumulativeDose(D(0), D(0), 0, None, None)
    projection = project_to_target(
        zero,
        target_mg_per_kg=D(150),
        current_mg_per_day=D(0),
        current_weight_kg=D(70),
        after=date(2026, 1, 1),
    )
    assert projection.days_to_target is None
    assert projection.projected_last_dose_on is None
    assert projection.remaining_mg == D(10500)


def test_projection_is_not_pushed_a_day_by_decimal_noise() -> None:
    """62 kg: 30 mg/day for 28 days leaves (150 − 840/62) × 62 = 8460 mg; at 60 mg/day that is
    exactly 141 days, although 840/62 is not a finite decimal (§8 C1)."""
    start = date(2026, 1, 5)
    done = cumulative_dose([mg(start, "30")], [kg(start, "62")], NONE, through=date(2026, 2, 1))
    projection = project_to_target(
        done,
        target_mg_per_kg=D(150),
        current_mg_per_day=D(60),
        current_weight_kg=D(62),
        after=date(2026, 2, 1),
    )
    assert projection.remaining_mg == D(8460)
    assert projection.days_to_target == 141


@pytest.mark.parametrize(
    ("value", "ok"),
    [
        pytest.param("150", True, id="§2.3-default"),
        pytest.param("220", True, id="§2.3-220"),
        pytest.param("300", True, id="policy-max"),
        pytest.param("300.01", False, id="above-policy-max"),
        pytest.param("0", False, id="zero"),
        pytest.param("-120", False, id="negative"),
        pytest.param("NaN", False, id="nan"),
    ],
)
def test_check_target_mg_per_kg(value: str, ok: bool) -> None:
    assert (check_target_mg_per_kg(D(value)) is None) is ok


def test_targets_offered_are_the_published_ones() -> None:
    """§2.3: 120 / 150 (default) / 220 mg/kg."""
    assert (D(120), D(150), D(220)) == STANDARD_TARGETS_MG_PER_KG
    assert D(150) == DEFAULT_TARGET_MG_PER_KG


def test_low_dose_formulation_target_is_flagged_for_the_prescriber() -> None:
    """§2.3: scaling an Absorica LD target is the prescriber's decision."""
    assert target_notes(is_low_dose_formulation=False) == ()
    (note,) = target_notes(is_low_dose_formulation=True)
    assert "prescriber" in note


@pytest.mark.parametrize(
    ("value", "rounded"),
    [("1.005", "1.01"), ("1.004999", "1.00"), ("22.2580645", "22.26"), ("2.675", "2.68")],
)
def test_round_mg_per_kg_rounds_half_up(value: str, rounded: str) -> None:
    assert round_mg_per_kg(D(value)) == D(rounded)


def test_weight_on_uses_latest_entry_on_or_before_day() -> None:
    weights = [kg(date(2026, 3, 11), "75"), kg(date(2026, 3, 1), "60")]
    assert weight_on(weights, date(2026, 2, 1)) == D(60)
    assert weight_on(weights, date(2026, 3, 10)) == D(60)
    assert weight_on(weights, date(2026, 3, 11)) == D(75)


# ---- properties -------------------------------------------------------------------------

START = date(2026, 1, 1)
days_offset = st.integers(min_value=0, max_value=400)
dose_mg = st.integers(min_value=0, max_value=200).map(D)
weight_kg = st.integers(min_value=200, max_value=3000).map(lambda n: D(n) / 10)


@st.composite
def courses(draw: st.DrawFn) -> tuple[list[DosePeriod], list[WeightEntry], frozenset[date]]:
    offsets = draw(st.lists(days_offset, min_size=1, max_size=5, unique=True))
    periods = [DosePeriod(START + timedelta(days=o), draw(dose_mg)) for o in sorted(offsets)]
    periods[0] = DosePeriod(START, periods[0].mg_per_day)
    w_offsets = draw(st.lists(days_offset, min_size=1, max_size=4, unique=True))
    weights = [WeightEntry(START + timedelta(days=o), draw(weight_kg)) for o in w_offsets]
    missed = draw(st.frozensets(days_offset.map(lambda o: START + timedelta(days=o)), max_size=20))
    return periods, weights, missed


@given(courses(), days_offset, days_offset)
def test_cumulative_dose_never_decreases_as_through_advances(
    course: tuple[list[DosePeriod], list[WeightEntry], frozenset[date]], a: int, b: int
) -> None:
    periods, weights, missed = course
    early, late = sorted((a, b))
    first = cumulative_dose(periods, weights, missed, through=START + timedelta(days=early))
    second = cumulative_dose(periods, weights, missed, through=START + timedelta(days=late))
    assert first.cumulative_mg <= second.cumulative_mg
    assert first.cumulative_mg_per_kg <= second.cumulative_mg_per_kg
    assert first.dosing_days <= second.dosing_days


@given(courses(), days_offset)
def test_cumulative_dose_agrees_with_a_day_by_day_count(
    course: tuple[list[DosePeriod], list[WeightEntry], frozenset[date]], end: int
) -> None:
    periods, weights, missed = course
    through = START + timedelta(days=end)
    expected_mg = D(0)
    expected_days = 0
    for n in range(end + 1):
        day = START + timedelta(days=n)
        daily = max((p for p in periods if p.starts_on <= day), key=lambda p: p.starts_on)
        if daily.mg_per_day and day not in missed:
            expected_mg += daily.mg_per_day
            expected_days += 1
    result = cumulative_dose(periods, weights, missed, through=through)
    assert result.cumulative_mg == expected_mg
    assert result.dosing_days == expected_days


@given(
    st.integers(min_value=1, max_value=200).map(D),
    weight_kg,
    st.integers(min_value=1, max_value=60),
    st.frozensets(st.integers(min_value=0, max_value=59), min_size=1, max_size=30),
)
def test_missing_days_moves_the_projected_date_later(
    daily: Decimal, weight: Decimal, elapsed: int, missed_offsets: frozenset[int]
) -> None:
    """§8 C1: a missed day is a day not counted, so the target is reached later (or equal
    when it is already reached)."""
    through = START + timedelta(days=elapsed - 1)
    missed = frozenset(START + timedelta(days=o) for o in missed_offsets if o < elapsed)
    periods, weights = [DosePeriod(START, daily)], [WeightEntry(START, weight)]

    def projected(missed_days: frozenset[date]) -> date | None:
        done = cumulative_dose(periods, weights, missed_days, through=through)
        return project_to_target(
            done,
            target_mg_per_kg=DEFAULT_TARGET_MG_PER_KG,
            current_mg_per_day=daily,
            current_weight_kg=weight,
            after=through,
        ).projected_last_dose_on

    full, with_missed = projected(NONE), projected(missed)
    assert full is not None
    assert with_missed is not None
    assert with_missed >= full
    if missed and full > through:
        assert with_missed > full
