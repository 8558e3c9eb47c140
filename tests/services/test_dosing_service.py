"""The dose calculator service and the shipped formulary (domain.md §2.1, §2.2, §8 D1)."""

from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.dosing import DoseWarningCode
from desktop.rules.formulary import FoodRequirement
from desktop.rules.units import WeightUnit
from desktop.services.catalog.formulary import load_formulary
from desktop.services.dosing import (
    calculate_regimen,
    calculate_regimen_from_text,
    product_names,
)
from desktop.services.errors import ValidationFailed

D = Decimal


def test_shipped_formulary_names_match_the_public_contract() -> None:
    """DESIGN.md: product names used by `isotrack dose` and course descriptions."""
    assert product_names() == (
        "generic",
        "amnesteem",
        "claravis",
        "zenatane",
        "myorisan",
        "absorica",
        "absorica-ld",
    )


@pytest.mark.parametrize(
    ("name", "strengths"),
    [
        pytest.param("generic", (10, 20, 30, 40), id="§2.2-generic"),
        pytest.param("claravis", (10, 20, 30, 40), id="§2.2-claravis"),
        pytest.param("zenatane", (10, 20, 30, 40), id="§2.2-zenatane"),
        pytest.param("myorisan", (10, 20, 30, 40), id="§2.2-myorisan"),
        pytest.param("amnesteem", (10, 20, 40), id="§2.2-amnesteem-no-30"),
        pytest.param("absorica", (10, 20, 25, 30, 35, 40), id="§2.2-absorica"),
        pytest.param("absorica-ld", (8, 16, 20, 24, 28, 32), id="§2.2-absorica-ld-with-20-and-28"),
    ],
)
def test_shipped_strengths(name: str, strengths: tuple[int, ...]) -> None:
    assert load_formulary().product(name).strengths_mg == strengths


@pytest.mark.parametrize(
    ("name", "food", "usual", "maximum"),
    [
        pytest.param("generic", FoodRequirement.WITH_MEAL, ("0.5", "1.0"), "2.0", id="§2.1-conv"),
        pytest.param("amnesteem", FoodRequirement.WITH_MEAL, ("0.5", "1.0"), "2.0", id="§2.1-amn"),
        pytest.param(
            "absorica", FoodRequirement.WITH_OR_WITHOUT_MEAL, ("0.5", "1.0"), "2.0", id="§2.1-abs"
        ),
        pytest.param(
            "absorica-ld", FoodRequirement.WITH_OR_WITHOUT_MEAL, ("0.4", "0.8"), "1.6", id="§2.1-ld"
        ),
    ],
)
def test_shipped_food_and_ranges(
    name: str, food: FoodRequirement, usual: tuple[str, str], maximum: str
) -> None:
    product = load_formulary().product(name)
    assert product.food is food
    assert (product.usual_min_mg_per_kg_day, product.usual_max_mg_per_kg_day) == tuple(
        D(v) for v in usual
    )
    assert product.max_mg_per_kg_day == D(maximum)


def test_shipped_flags() -> None:
    """§2.1: Absorica and LD not interchangeable; §2.2: tartrazine 25 mg, Zenatane excipients."""
    formulary = load_formulary()
    ld, absorica = formulary.product("absorica-ld"), formulary.product("absorica")
    assert ld.is_low_dose_formulation
    assert ld.not_interchangeable_with == ("absorica",)
    assert absorica.not_interchangeable_with == ("absorica-ld",)
    (tartrazine,) = absorica.excipients
    assert tartrazine.strengths_mg == frozenset({25})
    assert "tartrazine" in tartrazine.note
    (zenatane,) = formulary.product("zenatane").excipients
    assert "soybean" in zenatane.note
    assert "parabens" in zenatane.note


def test_formulary_is_loaded_once() -> None:
    assert load_formulary() is load_formulary()


def test_calculate_regimen_for_the_label_example() -> None:
    """§2.1 label table: 60 kg at 0.5 mg/kg/day → 30 mg/day."""
    regimen = calculate_regimen(weight_kg=D(60), mg_per_kg_day=D("0.5"))
    assert regimen.product.name == "generic"
    assert regimen.mg_per_day == 30
    assert [d.capsules_mg for d in regimen.doses] == [(10,), (20,)]
    assert regimen.achieved_mg_per_kg_day == D("0.50")


def test_unknown_product_is_refused_listing_the_known_ones() -> None:
    with pytest.raises(ValidationFailed) as caught:
        calculate_regimen(weight_kg=D(60), mg_per_kg_day=D("0.5"), product="accutane")
    (problem,) = caught.value.problems
    assert problem.field == "product"
    assert "generic, amnesteem, claravis, zenatane, myorisan, absorica, absorica-ld" in (
        problem.message
    )


def test_above_maximum_needs_the_override() -> None:
    """§2.1: LD maximum 1.6 mg/kg/day."""
    with pytest.raises(ValidationFailed, match="prescriber override"):
        calculate_regimen(weight_kg=D(70), mg_per_kg_day=D("1.7"), product="absorica-ld")
    regimen = calculate_regimen(
        weight_kg=D(70), mg_per_kg_day=D("1.7"), product="absorica-ld", prescriber_override=True
    )
    assert DoseWarningCode.ABOVE_MAXIMUM in {w.code for w in regimen.warnings}


def test_from_text_accepts_decimal_commas_and_typed_units() -> None:
    regimen = calculate_regimen_from_text(
        weight="160 lb", weight_unit=WeightUnit.KG, mg_per_kg_day="0,5 mg/kg/day"
    )
    assert regimen.request.weight_kg == D("72.57477920")
    assert regimen.request.mg_per_kg_day == D("0.5")
    assert regimen.mg_per_day == 40  # 36.29 mg: 40 is nearer than 30


def test_from_text_reports_every_typing_problem_at_once() -> None:
    with pytest.raises(ValidationFailed) as caught:
        calculate_regimen_from_text(weight="1,000", weight_unit=WeightUnit.KG, mg_per_kg_day="x")
    assert [p.field for p in caught.value.problems] == ["weight_kg", "mg_per_kg_day"]


def test_age_is_checked_when_birth_date_and_day_are_given() -> None:
    regimen = calculate_regimen(
        weight_kg=D(40),
        mg_per_kg_day=D("0.5"),
        birth_date=date(2016, 3, 1),
        on=date(2027, 2, 28),
    )
    assert DoseWarningCode.UNDER_LABELLED_AGE in {w.code for w in regimen.warnings}
