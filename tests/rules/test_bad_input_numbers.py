"""Bad input for every typed number the rules read (issue 6 item 14; domain.md §6 Weight,
§2.1 doses, §2.3 targets, §4.2 PHQ): weights in kg and in lb, mg/kg/day, the cumulative
target, and PHQ answers. Each row is what a nurse might type or paste and either the exact
value read or words of the problem shown beside the field: never a clamped, rounded or
guessed value.

One documented reading, whatever the locale (the parsers never consult QLocale): the point
is always a decimal point, so "1.000" is 1; a comma is a decimal comma ("72,5"), except
before exactly three digits ("1,000", "72,500"), which could be thousands and is refused.
tests/ui/test_bad_input_fields.py shows the same readings under en_US and de_DE.
"""

from dataclasses import dataclass
from decimal import Decimal

import pytest

from desktop.rules.cumulative_dose import check_target_mg_per_kg
from desktop.rules.dosing import (
    DoseRequest,
    DoseWarningCode,
    check_dose_request,
    daily_regimen,
)
from desktop.rules.formulary import FoodRequirement, Product
from desktop.rules.mood import check_mood_screen, screen_mood
from desktop.rules.problems import Problem
from desktop.rules.units import (
    Weight,
    WeightUnit,
    lb_to_kg,
    parse_mg_per_kg_day,
    parse_number,
    parse_weight,
)

D = Decimal
KG, LB = WeightUnit.KG, WeightUnit.LB
NBSP = "\u00a0"
GENERIC = Product(
    "generic", "Isotretinoin (generic)", (10, 20, 30, 40), FoodRequirement.WITH_MEAL,
    D("0.5"), D("1.0"), D("2.0"),
)  # fmt: skip
"""The formulary's generic product (resources/formulary.toml): maximum 2 mg/kg/day."""
WEIGHT_KG = D(60)


@dataclass(frozen=True)
class Refused:
    """The value is refused; `words` are part of the message shown beside the field."""

    words: str


def kg(value: str) -> Weight:
    return Weight(D(value), D(value), KG)


def lb(value: str) -> Weight:
    return Weight(lb_to_kg(D(value)), D(value), LB)


def _outcome(result: object, field: str) -> object:
    if isinstance(result, Problem):
        assert result.field == field
        return result.message
    return result


def _check(result: object, expected: object, field: str) -> None:
    got = _outcome(result, field)
    if isinstance(expected, Refused):
        assert isinstance(got, str), f"expected a refusal saying {expected.words!r}, got {got!r}"
        assert expected.words in got
    else:
        assert got == expected
        if isinstance(expected, Decimal):  # the digits as typed: exact, not merely equal
            assert isinstance(got, Decimal)


# --- weight typed in the kg box (domain.md §6 Weight) --------------------------------------

WEIGHT_IN_KG_BOX = [
    pytest.param("72.5", kg("72.5"), id="point"),
    pytest.param("72,5", kg("72.5"), id="decimal-comma"),
    pytest.param("72,50", kg("72.50"), id="comma-two-digits"),
    pytest.param("0", Refused("more than zero"), id="zero"),
    pytest.param("0.000", Refused("more than zero"), id="zero-with-decimals"),
    pytest.param("-72", Refused("more than zero"), id="negative"),
    pytest.param("−72", Refused("more than zero"), id="unicode-minus"),
    pytest.param("+72", kg("72"), id="leading-plus-read-exactly"),
    pytest.param("700", Refused("between 20.0 kg (44.1 lb) and 300.0 kg"), id="700"),
    pytest.param("1,000", Refused("ambiguous"), id="thousands-comma-ambiguous"),
    pytest.param("72,500", Refused("ambiguous"), id="comma-three-digits-ambiguous"),
    pytest.param("1.000", Refused("between"), id="point-always-decimal-so-1"),
    pytest.param("72 kg", kg("72"), id="unit-kg"),
    pytest.param("72 KG", kg("72"), id="unit-upper-case"),
    pytest.param("72kg", kg("72"), id="unit-without-space"),
    pytest.param("72 kgs", kg("72"), id="unit-kgs"),
    pytest.param("160 lb", lb("160"), id="typed-lb-wins-over-box"),
    pytest.param("160lbs", lb("160"), id="typed-lbs-no-space"),
    pytest.param(" 72.5 ", kg("72.5"), id="spaces-around"),
    pytest.param("\t72.5\n", kg("72.5"), id="pasted-tab-newline"),
    pytest.param(f"{NBSP}72.5{NBSP}", kg("72.5"), id="pasted-nbsp"),
    pytest.param(f"72{NBSP}kg", kg("72"), id="nbsp-before-unit"),
    pytest.param("7 2", Refused("must be a number"), id="space-inside"),
    pytest.param("7\n2", Refused("must be a number"), id="newline-inside"),
    pytest.param("７２", Refused("must be a number"), id="full-width-digits"),
    pytest.param("٧٢", Refused("must be a number"), id="arabic-indic-digits"),
    pytest.param("72\u200b", Refused("must be a number"), id="zero-width-space"),
    pytest.param("1e2", Refused("must be a number"), id="exponent"),
    pytest.param("NaN", Refused("must be a number"), id="nan"),
    pytest.param("inf", Refused("must be a number"), id="inf"),
    pytest.param("Infinity", Refused("must be a number"), id="infinity"),
    pytest.param("", Refused("Enter the weight"), id="empty"),
    pytest.param("   ", Refused("Enter the weight"), id="only-spaces"),
    pytest.param("72.", Refused("plain number"), id="trailing-point"),
    pytest.param(".5", Refused("must be a number"), id="leading-point"),
    pytest.param("72..5", Refused("plain number"), id="two-points"),
    pytest.param("1,000.5", Refused("plain number"), id="comma-and-point"),
    pytest.param("0072", kg("72"), id="leading-zeros"),
    pytest.param("20", kg("20"), id="lowest-inclusive"),
    pytest.param("19.999", Refused("between"), id="just-below-lowest"),
    pytest.param("300", kg("300"), id="highest-inclusive"),
    pytest.param("300.001", Refused("between"), id="just-above-highest"),
    pytest.param("72.125", kg("72.125"), id="three-decimals-kept"),
    pytest.param("72.1255", Refused("at most 3 decimals"), id="four-decimals-not-rounded"),
    pytest.param("72.50000000000000000001", Refused("at most 3 decimals"), id="long-tail"),
    pytest.param("72.5000", kg("72.5000"), id="trailing-zeros-are-not-decimals"),
    pytest.param("9" * 40, Refused("between"), id="forty-digits"),
    pytest.param("72 st", Refused("Unknown unit 'st'"), id="stone"),
    pytest.param("72 mg/kg", Refused("Unknown unit 'mg/kg'"), id="dose-unit"),
    pytest.param("72 lb lb", Refused("must be a number"), id="unit-twice"),
    pytest.param("72 kg 500 g", Refused("must be a number"), id="kg-and-grams"),
    pytest.param("1/2", Refused("must be a number"), id="fraction"),
    pytest.param("½", Refused("must be a number"), id="vulgar-fraction"),
    pytest.param("0x48", Refused("must be a number"), id="hex"),
    pytest.param("seventy", Refused("must be a number"), id="words"),
]


@pytest.mark.parametrize(("text", "expected"), WEIGHT_IN_KG_BOX)
def test_weight_typed_in_the_kg_box(text: str, expected: object) -> None:
    _check(parse_weight(text, KG), expected, "weight")


# --- weight typed in the lb box (domain.md §6: 1 lb = 0.45359237 kg exactly) ----------------

WEIGHT_IN_LB_BOX = [
    pytest.param("160", lb("160"), id="160-exact"),
    pytest.param("160 lb", lb("160"), id="unit-lb"),
    pytest.param("160lbs", lb("160"), id="unit-lbs-no-space"),
    pytest.param("160 LBS", lb("160"), id="unit-upper-case"),
    pytest.param("160 pounds", lb("160"), id="unit-pounds"),
    pytest.param("72 kg", kg("72"), id="typed-kg-wins-over-box"),
    pytest.param("72 KG", kg("72"), id="typed-kg-upper-case"),
    pytest.param("160,5", lb("160.5"), id="decimal-comma"),
    pytest.param("160.125", lb("160.125"), id="three-decimals-kept"),
    pytest.param("160.1255", Refused("at most 3 decimals"), id="four-decimals-not-rounded"),
    pytest.param("0", Refused("more than zero"), id="zero"),
    pytest.param("-160", Refused("more than zero"), id="negative"),
    pytest.param("−160", Refused("more than zero"), id="unicode-minus"),
    pytest.param("+160", lb("160"), id="leading-plus-read-exactly"),
    pytest.param("700", Refused("700 lb is 317.5 kg"), id="700-shows-kg"),
    pytest.param("1,000", Refused("ambiguous"), id="thousands-comma-ambiguous"),
    pytest.param("1.000", Refused("1 lb is 0.5 kg"), id="point-always-decimal-so-1"),
    pytest.param("44.1", lb("44.1"), id="just-above-20-kg"),
    pytest.param("44.09", Refused("between 20.0 kg (44.1 lb)"), id="just-below-20-kg"),
    pytest.param("661.38", lb("661.38"), id="just-below-300-kg"),
    pytest.param("661.4", Refused("between"), id="just-above-300-kg"),
    pytest.param(" 160 ", lb("160"), id="spaces-around"),
    pytest.param("160\t", lb("160"), id="pasted-tab"),
    pytest.param(f"{NBSP}160{NBSP}lb", lb("160"), id="pasted-nbsp"),
    pytest.param("１６０", Refused("must be a number"), id="full-width-digits"),
    pytest.param("1.6e2", Refused("must be a number"), id="exponent"),
    pytest.param("NaN", Refused("must be a number"), id="nan"),
    pytest.param("-inf", Refused("must be a number"), id="minus-inf"),
    pytest.param("", Refused("Enter the weight"), id="empty"),
    pytest.param(" \t ", Refused("Enter the weight"), id="only-whitespace"),
    pytest.param("160.", Refused("plain number"), id="trailing-point"),
    pytest.param("160 lb.", Refused("Unknown unit 'lb.'"), id="unit-with-point"),
    pytest.param("9" * 30, Refused("between"), id="thirty-digits-no-crash"),
    pytest.param("9" * 3000, Refused("between"), id="three-thousand-digits-no-crash"),
    pytest.param("160 oz", Refused("Unknown unit 'oz'"), id="ounces"),
]


@pytest.mark.parametrize(("text", "expected"), WEIGHT_IN_LB_BOX)
def test_weight_typed_in_the_lb_box(text: str, expected: object) -> None:
    _check(parse_weight(text, LB), expected, "weight")


# --- mg/kg/day, read then checked for a 60 kg patient (domain.md §2.1) ----------------------


def read_dose(text: str) -> Decimal | Problem:
    """As the course, dose-change and visit forms do: parse, then the dosing rules."""
    dose = parse_mg_per_kg_day(text)
    if isinstance(dose, Problem):
        return dose
    problems = check_dose_request(GENERIC, DoseRequest(WEIGHT_KG, dose))
    return problems[0] if problems else dose


DOSES = [
    pytest.param("0.5", D("0.5"), id="point"),
    pytest.param("0,5", D("0.5"), id="decimal-comma"),
    pytest.param("1", D(1), id="whole"),
    pytest.param("2", D(2), id="labelled-maximum-inclusive"),
    pytest.param("0.5 mg/kg/day", D("0.5"), id="unit-mg-kg-day"),
    pytest.param("1 mg/kg", D(1), id="unit-mg-kg"),
    pytest.param("0,5 MG/KG/D", D("0.5"), id="unit-short-upper-case"),
    pytest.param("0", Refused("more than zero"), id="zero"),
    pytest.param("-0.5", Refused("more than zero"), id="negative"),
    pytest.param("−1", Refused("more than zero"), id="unicode-minus"),
    pytest.param("+0.5", D("0.5"), id="leading-plus-read-exactly"),
    pytest.param("2.5", Refused("prescriber override"), id="above-maximum"),
    pytest.param("3.01", Refused("far above any labelled dose"), id="typo-limit"),
    pytest.param("700", Refused("far above any labelled dose"), id="700"),
    pytest.param("72,5", Refused("far above"), id="weight-typed-as-dose"),
    pytest.param("1,000", Refused("ambiguous"), id="thousands-comma-ambiguous"),
    pytest.param("0,500", Refused("ambiguous"), id="comma-three-digits-ambiguous"),
    pytest.param("1.000", D(1), id="point-always-decimal-so-1"),
    pytest.param("0.500", D("0.5"), id="point-three-digits"),
    pytest.param("1 kg", Refused("Unknown unit 'kg'"), id="weight-unit"),
    pytest.param("30 mg", Refused("Unknown unit 'mg'"), id="mg-per-day-unit"),
    pytest.param(" 0.5 ", D("0.5"), id="spaces-around"),
    pytest.param("\t0.5\r\n", D("0.5"), id="pasted-tab-crlf"),
    pytest.param(f"{NBSP}0,5{NBSP}", D("0.5"), id="pasted-nbsp"),
    pytest.param("０.５", Refused("must be a number"), id="full-width-digits"),
    pytest.param("5e-1", Refused("must be a number"), id="exponent"),
    pytest.param("NaN", Refused("must be a number"), id="nan"),
    pytest.param("inf", Refused("must be a number"), id="inf"),
    pytest.param("", Refused("Enter the dose"), id="empty"),
    pytest.param("  ", Refused("Enter the dose"), id="only-spaces"),
    pytest.param(".5", Refused("must be a number"), id="leading-point"),
    pytest.param("0.", Refused("plain number"), id="trailing-point"),
    pytest.param("½", Refused("must be a number"), id="vulgar-fraction"),
    pytest.param("1/2", Refused("must be a number"), id="fraction"),
    pytest.param("0.5.1", Refused("plain number"), id="two-points"),
    pytest.param("0.00001", D("0.00001"), id="tiny-kept-exactly"),
    pytest.param(
        "0.5000000000000000000000000000001", D("0.5000000000000000000000000000001"), id="long-tail"
    ),
]


@pytest.mark.parametrize(("text", "expected"), DOSES)
def test_mg_per_kg_day(text: str, expected: object) -> None:
    _check(read_dose(text), expected, "mg_per_kg_day")


def test_a_dose_capsules_cannot_reach_is_kept_and_the_regimen_says_so() -> None:
    """0.00001 mg/kg/day is read exactly; the regimen is the smallest there is, with a
    caution saying so, never a silently raised dose (domain.md §8 D1)."""
    regimen = daily_regimen(GENERIC, DoseRequest(WEIGHT_KG, D("0.00001")))
    assert regimen.request.mg_per_kg_day == D("0.00001")
    assert DoseWarningCode.TARGET_BELOW_SMALLEST in {w.code for w in regimen.warnings}


# --- cumulative target in mg/kg (domain.md §2.3), as the start-course form reads it ---------


def read_target(text: str) -> Decimal | Problem:
    """StartCourseDialog._target's reading, then the rule the service applies."""
    parsed = parse_number(
        text,
        field="target_mg_per_kg",
        what="cumulative target in mg/kg",
        units={"mg/kg": "mg/kg"},
        example="180",
    )
    if isinstance(parsed, Problem):
        return parsed
    return check_target_mg_per_kg(parsed[0]) or parsed[0]


TARGETS = [
    pytest.param("180", D(180), id="whole"),
    pytest.param("180.5", D("180.5"), id="one-decimal"),
    pytest.param("180,5", D("180.5"), id="decimal-comma"),
    pytest.param("180.0", D("180.0"), id="point-zero"),
    pytest.param("180.50", D("180.50"), id="trailing-zero-is-one-decimal"),
    pytest.param("180.25", Refused("one decimal at most"), id="two-decimals-not-rounded"),
    pytest.param("180,25", Refused("one decimal at most"), id="comma-two-decimals"),
    pytest.param("0.05", Refused("one decimal at most"), id="tiny-two-decimals"),
    pytest.param("0", Refused("more than zero"), id="zero"),
    pytest.param("-150", Refused("more than zero"), id="negative"),
    pytest.param("−150", Refused("more than zero"), id="unicode-minus"),
    pytest.param("+150", D(150), id="leading-plus-read-exactly"),
    pytest.param("700", Refused("above 300 mg/kg"), id="700"),
    pytest.param("300", D(300), id="highest-inclusive"),
    pytest.param("300.1", Refused("above 300 mg/kg"), id="just-above-highest"),
    pytest.param("1,000", Refused("ambiguous"), id="thousands-comma-ambiguous"),
    pytest.param("1.000", D(1), id="point-always-decimal-so-1"),
    pytest.param("150,000", Refused("ambiguous"), id="comma-three-digits-ambiguous"),
    pytest.param("180 mg/kg", D(180), id="unit"),
    pytest.param("180mg/kg", D(180), id="unit-no-space"),
    pytest.param("180 MG/KG", D(180), id="unit-upper-case"),
    pytest.param("180 mg/kg/day", Refused("Unknown unit"), id="daily-unit"),
    pytest.param("180 kg", Refused("Unknown unit 'kg'"), id="weight-unit"),
    pytest.param(" 180 ", D(180), id="spaces-around"),
    pytest.param("\t180\n", D(180), id="pasted-tab-newline"),
    pytest.param(f"{NBSP}180{NBSP}", D(180), id="pasted-nbsp"),
    pytest.param("１８０", Refused("must be a number"), id="full-width-digits"),
    pytest.param("1.8e2", Refused("must be a number"), id="exponent"),
    pytest.param("NaN", Refused("must be a number"), id="nan"),
    pytest.param("inf", Refused("must be a number"), id="inf"),
    pytest.param("", Refused("Enter the cumulative target"), id="empty"),
    pytest.param("   ", Refused("Enter the cumulative target"), id="only-spaces"),
    pytest.param("150.", Refused("plain number"), id="trailing-point"),
    pytest.param("9" * 40, Refused("above 300"), id="forty-digits"),
]


@pytest.mark.parametrize(("text", "expected"), TARGETS)
def test_cumulative_target(text: str, expected: object) -> None:
    _check(read_target(text), expected, "target_mg_per_kg")


# --- PHQ answers (domain.md §4.2): the visit form offers 0–3 per question ------------------

NINE_ZEROS = (0,) * 9


def read_mood(phq2: object, phq9: object) -> tuple[int, int | None] | Problem:
    """The totals the visit would store, or the first problem."""
    problems = check_mood_screen(phq2, phq9)  # type: ignore[arg-type]
    if problems:
        return problems[0]
    screen = screen_mood(phq2, phq9)  # type: ignore[arg-type]
    return screen.phq2.total, screen.phq9.total if screen.phq9 else None


PHQ_ANSWERS = [
    pytest.param((0, 0), None, (0, None), id="phq2-zeros"),
    pytest.param((3, 3), None, (6, None), id="phq2-highest"),
    pytest.param((1, 2), None, (3, None), id="phq2-positive-at-3"),
    pytest.param(None, NINE_ZEROS, (0, 0), id="phq9-only"),
    pytest.param((0, 0), NINE_ZEROS, (0, 0), id="both"),
    pytest.param((3, 3), (3,) * 9, (6, 27), id="phq9-highest"),
    pytest.param((0, 0), (0,) * 8 + (1,), (0, 1), id="item-9-above-zero"),
    pytest.param((-1, 0), None, Refused("whole number from 0 to 3"), id="negative"),
    pytest.param((4, 0), None, Refused("whole number from 0 to 3"), id="four"),
    pytest.param((0, 700), None, Refused("whole number from 0 to 3"), id="700"),
    pytest.param((10**100, 0), None, Refused("whole number from 0 to 3"), id="googol"),
    pytest.param((True, 0), None, Refused("whole number from 0 to 3"), id="boolean"),
    pytest.param((1.5, 0), None, Refused("whole number from 0 to 3"), id="fraction"),
    pytest.param((1.0, 0), None, Refused("whole number from 0 to 3"), id="float-whole"),
    pytest.param((float("nan"), 0), None, Refused("whole number"), id="nan"),
    pytest.param((float("inf"), 0), None, Refused("whole number"), id="inf"),
    pytest.param((D(1), 0), None, Refused("whole number from 0 to 3"), id="decimal"),
    pytest.param(("1", 0), None, Refused("whole number from 0 to 3"), id="text-digit"),
    pytest.param((None, 0), None, Refused("whole number from 0 to 3"), id="unanswered"),
    pytest.param((0,), None, Refused("Answer all 2 questions (got 1)"), id="one-answer"),
    pytest.param((0, 0, 0), None, Refused("Answer all 2 questions (got 3)"), id="three"),
    pytest.param((), None, Refused("Answer all 2 questions (got 0)"), id="no-answers"),
    pytest.param(None, None, Refused("Record the PHQ-2"), id="neither"),
    pytest.param(None, (0,) * 8, Refused("Answer all 9 questions (got 8)"), id="phq9-eight"),
    pytest.param(None, (0,) * 10, Refused("Answer all 9 questions (got 10)"), id="phq9-ten"),
    pytest.param(None, (0,) * 8 + (4,), Refused("Question 9"), id="phq9-item-9-four"),
    pytest.param(None, (-1,) + (0,) * 8, Refused("Question 1"), id="phq9-negative"),
    pytest.param((1, 0), NINE_ZEROS, Refused("must match the PHQ-2"), id="phq2-phq9-disagree"),
    pytest.param((0, 0), (0, 1) + (0,) * 7, Refused("must match"), id="second-disagrees"),
    pytest.param((0, -0), None, (0, None), id="minus-zero-is-zero"),
]


@pytest.mark.parametrize(("phq2", "phq9", "expected"), PHQ_ANSWERS)
def test_phq_answers(phq2: object, phq9: object, expected: object) -> None:
    result = read_mood(phq2, phq9)
    if isinstance(expected, Refused):
        assert isinstance(result, Problem), result
        assert expected.words in result.message
    else:
        assert result == expected


@pytest.mark.parametrize(
    ("table", "rows"),
    [
        ("weight in kg", WEIGHT_IN_KG_BOX),
        ("weight in lb", WEIGHT_IN_LB_BOX),
        ("mg/kg/day", DOSES),
        ("cumulative target", TARGETS),
        ("PHQ answers", PHQ_ANSWERS),
    ],
)
def test_every_table_has_at_least_30_rows(table: str, rows: list[object]) -> None:
    assert len(rows) >= 30, table
