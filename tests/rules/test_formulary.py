"""Formulary parsing and lookup (domain.md §2.1, §2.2). The shipped file is checked in
tests/services/test_dosing_service.py; here the rules see hand-made tables."""

import copy
from decimal import Decimal
from typing import Any

import pytest

from desktop.rules.formulary import (
    Excipient,
    FoodRequirement,
    UnknownProduct,
    formulary_from_toml,
    normalize_product_name,
)

D = Decimal


def sample() -> dict[str, Any]:
    return {
        "schema": "isotrack.formulary/1",
        "products": {
            "generic": {
                "display_name": "Isotretinoin (generic)",
                "strengths_mg": [10, 20, 30, 40],
                "food": "with_meal",
                "usual_mg_per_kg_day": [D("0.5"), D("1.0")],
                "max_mg_per_kg_day": D("2.0"),
            },
            "absorica": {
                "display_name": "Absorica",
                "strengths_mg": [10, 20, 25, 30, 35, 40],
                "food": "with_or_without_meal",
                "usual_mg_per_kg_day": [0.5, 1],  # floats/ints also accepted, read via str
                "max_mg_per_kg_day": 2,
                "not_interchangeable_with": ["absorica-ld"],
                "excipients": [{"name": "tartrazine", "strengths_mg": [25], "note": "Yellow 5"}],
            },
            "absorica-ld": {
                "display_name": "Absorica LD",
                "strengths_mg": [8, 16, 20, 24, 28, 32],
                "food": "with_or_without_meal",
                "usual_mg_per_kg_day": [D("0.4"), D("0.8")],
                "max_mg_per_kg_day": D("1.6"),
                "low_dose_formulation": True,
                "not_interchangeable_with": ["absorica"],
            },
        },
    }


def test_products_are_typed_from_the_table() -> None:
    formulary = formulary_from_toml(sample())
    assert formulary.names == ("generic", "absorica", "absorica-ld")
    absorica = formulary.product("absorica")
    assert absorica.strengths_mg == (10, 20, 25, 30, 35, 40)
    assert absorica.food is FoodRequirement.WITH_OR_WITHOUT_MEAL
    assert (absorica.usual_min_mg_per_kg_day, absorica.usual_max_mg_per_kg_day) == (D("0.5"), D(1))
    assert absorica.max_mg_per_kg_day == D(2)
    assert absorica.excipients == (Excipient("tartrazine", "Yellow 5", frozenset({25})),)
    ld = formulary.product("absorica-ld")
    assert ld.is_low_dose_formulation
    assert ld.max_mg_per_kg_day == D("1.6")
    assert not formulary.product("generic").is_low_dose_formulation


@pytest.mark.parametrize(
    "typed", ["absorica-ld", "Absorica LD", "  ABSORICA_LD ", "absorica  -  ld"]
)
def test_lookup_tolerates_case_and_spacing(typed: str) -> None:
    assert formulary_from_toml(sample()).product(typed).name == "absorica-ld"


def test_unknown_product_lists_the_known_names() -> None:
    formulary = formulary_from_toml(sample())
    assert formulary.find("accutane") is None
    with pytest.raises(UnknownProduct, match=r"'accutane'.*generic, absorica, absorica-ld"):
        formulary.product("accutane")


def test_excipient_applies_only_to_its_strengths() -> None:
    tartrazine = Excipient("tartrazine", "note", frozenset({25}))
    everywhere = Excipient("parabens", "note")
    assert tartrazine.applies_to(25)
    assert not tartrazine.applies_to(20)
    assert everywhere.applies_to(10)


def test_food_instruction_for_conventional_capsules_says_with_a_meal() -> None:
    """§2.1: conventional capsules must be taken with a meal."""
    formulary = formulary_from_toml(sample())
    assert "with a meal" in formulary.product("generic").food_instruction
    assert "with or without" in formulary.product("absorica").food_instruction


def _break(path: tuple[str, ...], value: object) -> dict[str, Any]:
    data = copy.deepcopy(sample())
    node = data
    for key in path[:-1]:
        node = node[key]
    if value is KeyError:
        del node[path[-1]]
    else:
        node[path[-1]] = value
    return data


@pytest.mark.parametrize(
    ("path", "value", "says"),
    [
        (("schema",), "isotrack.formulary/2", "schema"),
        (("products",), [], "expected a table"),
        (("products", "generic", "strengths_mg"), [20, 10], "ascending"),
        (("products", "generic", "strengths_mg"), [], "ascending"),
        (("products", "generic", "strengths_mg"), [10, 12.5], "whole number"),
        (("products", "generic", "strengths_mg"), [10, True], "whole number"),
        (("products", "generic", "food"), "on_the_moon", "generic: food.*on_the_moon"),
        (("products", "generic", "usual_mg_per_kg_day"), [D(1)], r"\[low, high\]"),
        (("products", "generic", "usual_mg_per_kg_day"), [D(1), D("0.5")], "usual low"),
        (("products", "generic", "max_mg_per_kg_day"), D("0.9"), "maximum"),
        (("products", "generic", "max_mg_per_kg_day"), "2", "not a number"),
        (("products", "generic", "display_name"), KeyError, "display_name"),
        (("products", "generic", "spelling_mistake"), 1, "unknown keys"),
        (("products", "absorica", "not_interchangeable_with"), ["absorica-xl"], "absorica-xl"),
        (
            ("products", "absorica", "excipients"),
            [{"name": "t", "note": "n", "strengths_mg": [26]}],
            "strength",
        ),
    ],
)
def test_a_malformed_formulary_is_refused_with_the_entry_named(
    path: tuple[str, ...], value: object, says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        formulary_from_toml(_break(path, value))


def test_normalize_product_name() -> None:
    assert normalize_product_name(" Absorica  LD ") == "absorica-ld"
