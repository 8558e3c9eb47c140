"""The weight box: kg or lb, decimal comma, both units shown as typed, nothing rounded."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from decimal import Decimal

import pytest
from pytestqt.qtbot import QtBot

from desktop.rules.units import WeightUnit
from desktop.ui.widgets.weight_input import WeightInput


@pytest.fixture
def weight_input(qtbot: QtBot) -> WeightInput:
    widget = WeightInput()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def test_kilograms_show_both_units(qtbot: QtBot, weight_input: WeightInput) -> None:
    qtbot.keyClicks(weight_input.number_edit, "72.5")
    assert weight_input.both_units_label.text() == "72.5 kg (159.8 lb)"
    assert (weight_input.value(), weight_input.unit()) == (Decimal("72.5"), WeightUnit.KG)


def test_pounds_chosen_beside_the_box_show_kilograms_too(
    qtbot: QtBot, weight_input: WeightInput
) -> None:
    weight_input.unit_input.setCurrentIndex(weight_input.unit_input.findData("lb"))
    qtbot.keyClicks(weight_input.number_edit, "160")
    assert weight_input.both_units_label.text() == "72.6 kg (160.0 lb)"
    assert (weight_input.value(), weight_input.unit()) == (Decimal(160), WeightUnit.LB)


def test_a_unit_typed_in_the_text_wins(qtbot: QtBot, weight_input: WeightInput) -> None:
    qtbot.keyClicks(weight_input.number_edit, "160 lb")
    assert weight_input.both_units_label.text() == "72.6 kg (160.0 lb)"
    assert weight_input.unit() is WeightUnit.LB
    assert weight_input.unit_input.currentText() == "lb"  # the box echoes the typed unit


def test_decimal_comma_is_read_exactly(qtbot: QtBot, weight_input: WeightInput) -> None:
    qtbot.keyClicks(weight_input.number_edit, "72,55")
    assert weight_input.value() == Decimal("72.55")
    assert weight_input.both_units_label.text() == "72.6 kg (159.9 lb)"


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("1,000", "ambiguous"),
        ("seventy", "must be a number"),
        ("12", "between 20.0 kg"),
        ("72 st", "Unknown unit 'st'"),
    ],
)
def test_unreadable_weights_are_explained_not_guessed(
    qtbot: QtBot, weight_input: WeightInput, typed: str, words: str
) -> None:
    qtbot.keyClicks(weight_input.number_edit, typed)
    problem = weight_input.problem()
    assert problem is not None
    assert words in problem.message
    assert words in weight_input.both_units_label.text()
    assert weight_input.value() is None


def test_blank_is_no_weight_and_no_problem(weight_input: WeightInput) -> None:
    assert weight_input.value() is None
    assert weight_input.problem() is None
