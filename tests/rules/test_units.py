"""Typed weights and numbers, kg/lb conversion and display (domain.md §6 Weight, §8 D1)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.problems import Problem
from desktop.rules.units import (
    MAX_WEIGHT_KG,
    MIN_WEIGHT_KG,
    Weight,
    WeightUnit,
    format_decimal,
    format_weight,
    kg_to_lb,
    lb_to_kg,
    parse_number,
    parse_weight,
    round_mg_per_kg,
)

D = Decimal
KG, LB = WeightUnit.KG, WeightUnit.LB


@pytest.mark.parametrize(
    ("text", "default", "kg", "entered", "unit"),
    [
        pytest.param("72.5", KG, "72.5", "72.5", KG, id="point"),
        pytest.param("72,5", KG, "72.5", "72.5", KG, id="decimal-comma"),
        pytest.param("72,50", KG, "72.50", "72.50", KG, id="decimal-comma-two-digits"),
        pytest.param(" 72.5 kg ", LB, "72.5", "72.5", KG, id="typed-unit-beats-default"),
        pytest.param("72.5kg", LB, "72.5", "72.5", KG, id="unit-without-space"),
        pytest.param("70 KG", LB, "70", "70", KG, id="unit-any-case"),
        pytest.param("160 lb", KG, "72.57477920", "160", LB, id="§6-160lb-exact"),
        pytest.param("160 lbs", KG, "72.57477920", "160", LB, id="lbs"),
        pytest.param("160", LB, "72.57477920", "160", LB, id="default-lb"),
        pytest.param("100 pounds", KG, "45.359237", "100", LB, id="pounds"),
        pytest.param("20", KG, "20", "20", KG, id="min-weight-inclusive"),
        pytest.param("300", KG, "300", "300", KG, id="max-weight-inclusive"),
    ],
)
def test_parse_weight_reads_exact_values(
    text: str, default: WeightUnit, kg: str, entered: str, unit: WeightUnit
) -> None:
    assert parse_weight(text, default) == Weight(D(kg), D(entered), unit)


@pytest.mark.parametrize(
    ("text", "default", "says"),
    [
        pytest.param("", KG, "Enter the weight", id="empty"),
        pytest.param("   ", KG, "Enter the weight", id="blank"),
        pytest.param("1,000", KG, "ambiguous", id="thousands-comma"),
        pytest.param("72,500", KG, "ambiguous", id="comma-three-digits"),
        pytest.param("1,000.5", KG, "plain number", id="comma-and-point"),
        pytest.param("72.5.3", KG, "plain number", id="two-points"),
        pytest.param("-72", KG, "more than zero", id="negative"),
        pytest.param("−72", KG, "more than zero", id="unicode-minus"),
        pytest.param("0", KG, "more than zero", id="zero"),
        pytest.param("0,0", KG, "more than zero", id="zero-comma"),
        pytest.param("abc", KG, "must be a number", id="garbage"),
        pytest.param("1e3", KG, "must be a number", id="exponent"),
        pytest.param("nan", KG, "must be a number", id="nan"),
        pytest.param("72.", KG, "plain number", id="trailing-point"),
        pytest.param(".5", KG, "must be a number", id="leading-point"),
        pytest.param("٧٢", KG, "must be a number", id="non-ascii-digits"),
        pytest.param("72 st", KG, "Unknown unit 'st'", id="unknown-unit"),
        pytest.param("72.5 kg extra", KG, "must be a number", id="trailing-words"),
        pytest.param("19.9", KG, "between 20.0 kg", id="below-min"),
        pytest.param("300.1", KG, "between 20.0 kg", id="above-max"),
        pytest.param("40", LB, "40 lb is 18.1 kg", id="lb-below-min-shows-kg"),
        pytest.param("700 lb", KG, "between", id="lb-above-max"),
    ],
)
def test_parse_weight_refuses_with_a_clear_message(
    text: str, default: WeightUnit, says: str
) -> None:
    result = parse_weight(text, default, field="weight_kg")
    assert isinstance(result, Problem)
    assert result.field == "weight_kg"
    assert says in result.message


def test_parse_number_returns_the_unit_word_typed() -> None:
    units = {"mg/kg/day": "mg/kg/day", "mg/kg": "mg/kg/day"}
    assert parse_number("0,5 mg/kg", field="f", what="dose", units=units) == (D("0.5"), "mg/kg/day")
    assert parse_number("1", field="f", what="dose", units=units) == (D(1), None)
    refused = parse_number("1 mg", field="f", what="dose", units=units)
    assert isinstance(refused, Problem)
    assert "mg/kg/day" in refused.message
    no_units = parse_number("1 mg", field="f", what="dose")
    assert isinstance(no_units, Problem)
    assert "number only" in no_units.message


@pytest.mark.parametrize(
    ("kg", "shown"),
    [
        ("72.5", "72.5 kg (159.8 lb)"),
        ("70", "70.0 kg (154.3 lb)"),
        ("45.359237", "45.4 kg (100.0 lb)"),
        ("72.57477920", "72.6 kg (160.0 lb)"),
    ],
)
def test_format_weight_shows_both_units(kg: str, shown: str) -> None:
    assert format_weight(D(kg)) == shown


@pytest.mark.parametrize(
    ("value", "text"), [("30", "30"), ("30.0", "30"), ("12.50", "12.5"), ("0.45", "0.45")]
)
def test_format_decimal_drops_trailing_zeros(value: str, text: str) -> None:
    assert format_decimal(D(value)) == text


def test_pound_is_exactly_the_international_pound() -> None:
    """§6 Weight: 1 lb = 0.45359237 kg exactly."""
    assert lb_to_kg(D(1)) == D("0.45359237")


@pytest.mark.parametrize(("value", "rounded"), [("1.005", "1.01"), ("0.994999", "0.99")])
def test_round_mg_per_kg_is_half_up(value: str, rounded: str) -> None:
    assert round_mg_per_kg(D(value)) == D(rounded)


plausible_kg = st.decimals(
    min_value=MIN_WEIGHT_KG, max_value=MAX_WEIGHT_KG, places=3, allow_nan=False
)


@given(plausible_kg)
def test_typed_kg_round_trips_exactly_with_point_or_comma(kg: Decimal) -> None:
    text = f"{kg:f}"
    assert parse_weight(text, KG) == Weight(kg, kg, KG)
    with_comma = text.replace(".", ",")
    result = parse_weight(with_comma, KG)
    if "," in with_comma and len(with_comma.split(",")[1]) == 3:
        assert isinstance(result, Problem)  # never guessed: "72,500" could be thousands
    else:
        assert result == Weight(kg, kg, KG)


@given(st.decimals(min_value=D(1), max_value=D(1000), places=4, allow_nan=False))
def test_lb_to_kg_and_back_is_lossless_to_display_precision(lb: Decimal) -> None:
    assert abs(kg_to_lb(lb_to_kg(lb)) - lb) < D("1e-20")


@given(st.integers(min_value=1, max_value=999), st.integers(min_value=0, max_value=999))
def test_a_comma_before_three_digits_is_never_read_as_a_number(whole: int, part: int) -> None:
    result = parse_weight(f"{whole},{part:03d}", KG)
    assert isinstance(result, Problem)
    assert "ambiguous" in result.message
