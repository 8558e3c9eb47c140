"""Course description (DESIGN.md): strict parsing naming paths, lb, dates in order, round trip."""

import copy
import json
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.rules.contraception import ContraceptionMethod
from desktop.rules.course_description import (
    InvalidCourseDescription,
    check_doses,
    parse_course_description,
)
from desktop.rules.course_description_export import course_description_to_dict
from desktop.rules.formulary import FoodRequirement, Product
from desktop.rules.lab_analytes import Analyte, AnalyteResult, LabUnit
from desktop.rules.units import WeightUnit

DESIGN_EXAMPLE: dict[str, Any] = {
    "patient": {"birth_date": "2007-05-14", "can_get_pregnant": True},
    "product": "generic",
    "start_date": "2026-01-05",
    "end_date": None,
    "target_mg_per_kg": 150,
    "lab_protocol": "clinic-monthly",
    "weights": [{"date": "2026-01-05", "kg": Decimal("62.0")}],
    "doses": [{"from": "2026-01-05", "mg_per_day": 30}, {"from": "2026-02-02", "mg_per_day": 60}],
    "missed_days": [],
    "pregnancy_tests": [
        {"specimen_date": "2026-01-02", "result": "negative", "purpose": "confirmation"}
    ],
    "counseling_confirmations": ["2026-01-02"],
    "comprehension_answers": ["2026-01-03"],
    "contraception": [{"from": "2025-12-01", "primary": "IUD", "secondary": "condom"}],
    "fills": [{"date": "2026-01-05", "days_supply": 30}],
    "labs": [{"date": "2025-12-28", "panel": "lipids", "results": {"triglycerides_mg_dl": 140}}],
}


def changed(path: str, value: object) -> dict[str, Any]:
    """The DESIGN example with one value replaced; `path` like "doses.1.mg_per_day"."""
    data = copy.deepcopy(DESIGN_EXAMPLE)
    *parents, last = path.split(".")
    node: Any = data
    for part in parents:
        node = node[int(part)] if part.isdigit() else node[part]
    if value is _DELETE:
        del node[int(last) if last.isdigit() else last]
    elif last.isdigit():
        node[int(last)] = value
    else:
        node[last] = value
    return data


_DELETE = object()


def problems_of(data: object) -> list[tuple[str, str]]:
    with pytest.raises(InvalidCourseDescription) as caught:
        parse_course_description(data)
    return [(p.field, p.message) for p in caught.value.problems]


def test_the_design_example_parses() -> None:
    course = parse_course_description(DESIGN_EXAMPLE)
    assert course.start_on == date(2026, 1, 5)
    assert course.weights[0].weight.weight_kg == Decimal(62)
    assert course.doses[1].mg_per_day == 60
    assert course.contraception[0].primary_method is ContraceptionMethod.IUD
    assert course.labs[0].results.get(Analyte.TRIGLYCERIDES) == AnalyteResult(
        Analyte.TRIGLYCERIDES, Decimal(140), LabUnit.MG_DL
    )
    assert course.end_on is None


def test_missing_optional_keys_mean_none() -> None:
    minimal = {k: DESIGN_EXAMPLE[k] for k in ("patient", "product", "start_date")}
    course = parse_course_description({**minimal, "target_mg_per_kg": 120})
    assert (course.end_on, course.lab_protocol, course.doses, course.fills) == (None, None, (), ())


@pytest.mark.parametrize(
    ("path", "value", "field", "words"),
    [
        pytest.param(
            "doses.1",
            {"from": "2026-02-02", "mg_perday": 60},
            "doses[1].mg_perday",
            "Unknown key",
            id="unknown-nested-key-named-with-path",
        ),
        pytest.param(
            "doses.1",
            {"from": "2026-02-02", "mg_perday": 60},
            "doses[1].mg_per_day",
            "required",
            id="missing-key-named-with-path",
        ),
        pytest.param("colour", "blue", "colour", "Unknown key", id="unknown-top-level-key"),
        pytest.param(
            "patient.sex", "female", "patient.sex", "Unknown key", id="§1.2-category-never-from-sex"
        ),
        pytest.param("product", _DELETE, "product", "required", id="required-top-level-key"),
        pytest.param("start_date", "05/01/2026", "start_date", "YYYY-MM-DD", id="date-not-iso"),
        pytest.param("start_date", "20260105", "start_date", "YYYY-MM-DD", id="date-basic-iso"),
        pytest.param(
            "start_date",
            "2026-02-30",
            "start_date",
            "not a calendar date",
            id="date-does-not-exist",
        ),
        pytest.param(
            "start_date",
            "2027-02-29",
            "start_date",
            "not a calendar date",
            id="29-feb-in-common-year",
        ),
        pytest.param("weights.0.kg", 0, "weights[0].kg", "more than zero", id="weight-positive"),
        pytest.param("weights.0.kg", "62", "weights[0].kg", "number", id="weight-is-a-number"),
        pytest.param(
            "weights.0",
            {"date": "2026-01-05", "kg": 62, "lb": 136},
            "weights[0]",
            '"kg" or as "lb"',
            id="weight-in-one-unit",
        ),
        pytest.param(
            "weights.0",
            {"date": "2026-01-05", "lb": 20},
            "weights[0].lb",
            "between",
            id="weight-plausible-after-lb-conversion",
        ),
        pytest.param(
            "doses.0.mg_per_day", -30, "doses[0].mg_per_day", "negative", id="dose-not-negative"
        ),
        pytest.param(
            "doses.1.prescriber_override",
            "yes",
            "doses[1].prescriber_override",
            "true or false",
            id="§2.1-override-is-boolean",
        ),
        pytest.param(
            "target_mg_per_kg", True, "target_mg_per_kg", "number", id="bool-is-not-a-number"
        ),
        pytest.param("target_mg_per_kg", 400, "target_mg_per_kg", "300", id="§2.3-target-limit"),
        pytest.param(
            "patient.can_get_pregnant",
            "yes",
            "patient.can_get_pregnant",
            "true or false",
            id="§1.2-category-is-boolean",
        ),
        pytest.param(
            "pregnancy_tests.0.result",
            "neg",
            "pregnancy_tests[0].result",
            "negative, positive, invalid",
            id="§1.4-result-values",
        ),
        pytest.param(
            "fills.0.days_supply", 31, "fills[0].days_supply", "30-day", id="§1.6-30-day-supply"
        ),
        pytest.param(
            "contraception.0.primary",
            "minipill",
            "contraception[0].primary",
            "Unknown value",
            id="§1.5-method-codes",
        ),
        pytest.param(
            "labs.0.results.tg", 140, "labs[0].results.tg", "Unknown key", id="§3.4-result-keys"
        ),
        pytest.param(
            "missed_days",
            ["2026-01-01"],
            "missed_days[0]",
            "within the course",
            id="missed-day-before-start",
        ),
    ],
)
def test_problems_name_the_field(path: str, value: object, field: str, words: str) -> None:
    found = problems_of(changed(path, value))
    assert any(f == field and words in message for f, message in found), found


@pytest.mark.parametrize(
    ("path", "value", "field"),
    [
        pytest.param("end_date", "2026-01-04", "end_date", id="end-before-start"),
        pytest.param("start_date", "2007-05-14", "start_date", id="start-after-birth"),
        pytest.param("doses.1.from", "2026-01-05", "doses[1].from", id="doses-strictly-after"),
        pytest.param("doses.0.from", "2026-01-06", "doses[0].from", id="first-dose-is-start"),
        pytest.param(
            "counseling_confirmations",
            ["2026-01-02", "2026-01-01"],
            "counseling_confirmations[1]",
            id="plain-date-lists-ascending",
        ),
    ],
)
def test_dates_in_order(path: str, value: object, field: str) -> None:
    assert field in [f for f, _ in problems_of(changed(path, value))]


def test_every_problem_is_listed_at_once() -> None:
    data = changed("doses.1", {"from": "2026-02-02", "mg_perday": 60})
    data["start_date"] = "2026-1-5"
    fields = [f for f, _ in problems_of(data)]
    assert {"start_date", "doses[1].mg_perday", "doses[1].mg_per_day"} <= set(fields)


def test_not_an_object() -> None:
    assert problems_of([1, 2]) == [("(top level)", "Expected an object: {...}.")]


def test_weight_in_pounds_is_kept_as_entered() -> None:
    """DESIGN.md: "lb" instead of "kg"; 1 lb = 0.45359237 kg (domain.md §6)."""
    course = parse_course_description(changed("weights.0", {"date": "2026-01-05", "lb": 150}))
    weight = course.weights[0].weight
    assert weight.entered_unit is WeightUnit.LB
    assert weight.weight_kg == Decimal("68.0388555")
    assert course_description_to_dict(course)["weights"] == [{"date": "2026-01-05", "lb": 150}]


def test_extensions_round_trip() -> None:
    data = copy.deepcopy(DESIGN_EXAMPLE)
    data.update(
        visits=["2026-01-05"],
        next_visit_date="2026-02-02",
        consents=[{"form": "informed-consent", "signed_date": "2025-12-01"}],
        home_pregnancy_tests_allowed=True,
    )
    data["pregnancy_tests"][0].update(setting="medical", method="serum", clia_certified_lab=True)
    data["contraception"].append({"from": "2026-03-01", "abstinence": True})
    course = parse_course_description(data)
    assert parse_course_description(course_description_to_dict(course)) == course


def test_design_example_exports_the_same_facts() -> None:
    course = parse_course_description(DESIGN_EXAMPLE)
    exported = course_description_to_dict(course)
    assert exported["contraception"] == [
        {"from": "2025-12-01", "primary": "iud", "secondary": "condom"}
    ]
    text = json.dumps(exported)
    assert parse_course_description(json.loads(text, parse_float=Decimal)) == course


DAY = st.dates(min_value=date(2025, 1, 1), max_value=date(2027, 12, 31))
AMOUNT = st.decimals(min_value=Decimal(0), max_value=Decimal(200), places=1)


@settings(max_examples=100)
@given(
    start=DAY,
    steps=st.lists(st.integers(1, 60), max_size=4),
    mg=st.lists(AMOUNT, min_size=5, max_size=5),
    overrides=st.lists(st.booleans(), min_size=5, max_size=5),
    kg=st.decimals(min_value=Decimal(21), max_value=Decimal(290), places=2),
    in_lb=st.booleans(),
    end_after=st.none() | st.integers(0, 400),
)
def test_import_then_export_gives_the_same_facts(
    start: date,
    steps: list[int],
    mg: list[Decimal],
    overrides: list[bool],
    kg: Decimal,
    in_lb: bool,
    end_after: int | None,
) -> None:
    starts = [start]
    for step in steps:
        starts.append(starts[-1] + timedelta(days=step))
    unit, amount = ("lb", (kg * Decimal("2.2")).quantize(Decimal("0.1"))) if in_lb else ("kg", kg)
    end_on = None if end_after is None else starts[-1] + timedelta(days=end_after)
    doses = [
        {"from": day.isoformat(), "mg_per_day": dose, "prescriber_override": override}
        for day, dose, override in zip(starts, mg, overrides, strict=False)
    ]
    data = {
        "patient": {"birth_date": "2000-02-29", "can_get_pregnant": False},
        "product": "absorica",
        "start_date": start.isoformat(),
        "end_date": None if end_on is None else end_on.isoformat(),
        "target_mg_per_kg": 120,
        "weights": [{"date": start.isoformat(), unit: amount}],
        "doses": doses,
    }
    course = parse_course_description(data)
    exported = json.loads(json.dumps(course_description_to_dict(course)), parse_float=Decimal)
    assert parse_course_description(exported) == course
    assert [d.get("prescriber_override", False) for d in exported["doses"]] == overrides[
        : len(doses)
    ]


def test_a_hold_of_0_mg_per_day_and_an_override_are_read_and_written_back() -> None:
    """§8 C1: a 0 mg/day period is a hold; the override key stays on its dose."""
    data = copy.deepcopy(DESIGN_EXAMPLE)
    data["doses"] = [
        {"from": "2026-01-05", "mg_per_day": 30},
        {"from": "2026-02-02", "mg_per_day": 0},
        {"from": "2026-02-09", "mg_per_day": 140, "prescriber_override": True},
    ]
    course = parse_course_description(data)
    assert [(d.mg_per_day, d.prescriber_override) for d in course.doses] == [
        (30, False),
        (0, False),
        (140, True),
    ]
    assert course_description_to_dict(course)["doses"] == data["doses"]


GENERIC = Product(
    "generic",
    "Isotretinoin (generic)",
    (10, 20, 30, 40),
    FoodRequirement.WITH_MEAL,
    Decimal("0.5"),
    Decimal("1.0"),
    Decimal("2.0"),
)


def course_with(doses: list[dict[str, Any]], weights: list[dict[str, Any]], **top: Any) -> Any:
    data = copy.deepcopy(DESIGN_EXAMPLE)
    data.update(doses=doses, weights=weights, **top)
    return parse_course_description(data)


@pytest.mark.parametrize(
    ("doses", "weights", "end_date", "expected"),
    [
        pytest.param(
            [{"from": "2026-01-05", "mg_per_day": 124}],
            [{"date": "2026-01-05", "kg": 62}],
            None,
            [],
            id="§2.1-exactly-2-mg-per-kg-is-allowed",
        ),
        pytest.param(
            [{"from": "2026-01-05", "mg_per_day": 30}, {"from": "2026-02-02", "mg_per_day": 130}],
            [{"date": "2026-01-05", "kg": 62}],
            None,
            [("doses[1].mg_per_day", "2.10 mg/kg/day")],
            id="§2.1-above-the-maximum-names-the-dose",
        ),
        pytest.param(
            [{"from": "2026-01-05", "mg_per_day": 120}],
            [{"date": "2026-01-05", "kg": 62}, {"date": "2026-03-01", "kg": 58}],
            None,
            [("doses[0].mg_per_day", "2.07 mg/kg/day")],
            id="§8-C1-weight-lost-while-the-dose-lasts",
        ),
        pytest.param(
            [{"from": "2026-01-05", "mg_per_day": 120}],
            [{"date": "2026-01-05", "kg": 62}, {"date": "2026-03-01", "kg": 58}],
            "2026-02-28",
            [],
            id="§8-C1-a-weight-after-the-last-dose-does-not-count",
        ),
        pytest.param(
            [{"from": "2026-01-05", "mg_per_day": 120}, {"from": "2026-03-01", "mg_per_day": 60}],
            [{"date": "2026-01-05", "kg": 62}, {"date": "2026-03-01", "kg": 58}],
            None,
            [],
            id="§8-C1-next-dose-starts-with-the-new-weight",
        ),
        pytest.param(
            [{"from": "2026-01-05", "mg_per_day": 120}],
            [{"date": "2026-01-05", "lb": 130}],
            None,
            [("doses[0].mg_per_day", "59.0 kg (130.0 lb)")],
            id="§2.1-weight-in-pounds",
        ),
        pytest.param(
            [{"from": "2026-01-05", "mg_per_day": 140, "prescriber_override": True}],
            [{"date": "2026-01-05", "kg": 62}],
            None,
            [],
            id="§2.1-prescriber-override",
        ),
        pytest.param(
            [{"from": "2026-01-05", "mg_per_day": 200, "prescriber_override": True}],
            [{"date": "2026-01-05", "kg": 62}],
            None,
            [("doses[0].mg_per_day", "check the number")],
            id="typing-error-even-with-override",
        ),
        pytest.param(
            [{"from": "2026-01-05", "mg_per_day": 0}],
            [{"date": "2026-01-05", "kg": 62}],
            None,
            [],
            id="§8-C1-hold",
        ),
        pytest.param([{"from": "2026-01-05", "mg_per_day": 400}], [], None, [], id="no-weight"),
    ],
)
def test_doses_against_the_labelled_maximum(
    doses: list[dict[str, Any]],
    weights: list[dict[str, Any]],
    end_date: str | None,
    expected: list[tuple[str, str]],
) -> None:
    problems = check_doses(course_with(doses, weights, end_date=end_date), GENERIC)
    assert [p.field for p in problems] == [field for field, _ in expected]
    for problem, (_, words) in zip(problems, expected, strict=True):
        assert words in problem.message
    if any("labelled maximum" in p.message for p in problems):
        assert '"prescriber_override": true' in problems[0].message
