"""Recording contraception: two separate methods in iPLEDGE's wording, or abstinence; the
rules' refusals show beside the method concerned."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from desktop.rules.contraception import (
    METHOD_LABELS,
    ContraceptionMethod,
    ContraceptionPeriod,
)
from desktop.services.context import Context
from desktop.services.course_overview import get_course_overview
from desktop.ui.ipledge.contraception_dialog import ContraceptionDialog
from tests.ui.courses import start_test_course

CLICK = Qt.MouseButton.LeftButton
TWO_NEEDED = "Two separate methods are needed at the same time (or abstinence)."


@pytest.fixture
def course_id(nurse_ctx: Context, prescriber_ctx: Context) -> int:
    return start_test_course(nurse_ctx).id


@pytest.fixture
def dialog(qtbot: QtBot, nurse_ctx: Context, course_id: int) -> ContraceptionDialog:
    shown = ContraceptionDialog(nurse_ctx, course_id)
    qtbot.addWidget(shown)
    shown.show()
    return shown


def _pick(dialog: ContraceptionDialog, first: str, second: str = "Choose…") -> None:
    dialog.primary_input.setCurrentIndex(dialog.primary_input.findText(first))
    dialog.secondary_input.setCurrentIndex(dialog.secondary_input.findText(second))


def _saved(ctx: Context, course_id: int) -> tuple[ContraceptionPeriod, ...]:
    facts = get_course_overview(ctx, course_id).facts
    assert facts is not None
    return facts.contraception


def test_one_method_alone_is_refused_beside_the_missing_one(
    qtbot: QtBot, dialog: ContraceptionDialog, nurse_ctx: Context, course_id: int
) -> None:
    _pick(dialog, METHOD_LABELS[ContraceptionMethod.IUD])
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("secondary").text() == TWO_NEEDED
    assert dialog.problems.problem_label("primary").text() == ""
    assert dialog.result_record is None
    assert _saved(nurse_ctx, course_id) == ()


def test_a_progestin_only_pill_is_refused_beside_its_field(
    qtbot: QtBot, dialog: ContraceptionDialog
) -> None:
    _pick(
        dialog,
        "Progestin-only pill (minipill): not acceptable",
        "Male latex condom, with or without spermicide",
    )
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("primary").text() == (
        "A progestin-only pill is not an acceptable method with isotretinoin."
    )
    assert dialog.result_record is None


def test_barrier_methods_are_offered_only_as_the_second_form(
    qtbot: QtBot, dialog: ContraceptionDialog
) -> None:
    assert dialog.primary_input.findText("Diaphragm with spermicide") == -1
    _pick(dialog, "Choose…", "Diaphragm with spermicide")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("primary").text() == TWO_NEEDED


def test_an_iud_and_condoms_are_saved_from_the_date_typed(
    qtbot: QtBot, dialog: ContraceptionDialog, nurse_ctx: Context, course_id: int
) -> None:
    dialog.starts_input.clear()
    qtbot.keyClicks(dialog.starts_input, "2026-10-01")
    _pick(
        dialog,
        "Intrauterine device (IUD)",
        "Male latex condom, with or without spermicide",
    )
    qtbot.mouseClick(dialog.save_button, CLICK)
    period = ContraceptionPeriod(
        date(2026, 10, 1), ContraceptionMethod.IUD, ContraceptionMethod.CONDOM
    )
    assert dialog.result_record == period
    assert _saved(nurse_ctx, course_id) == (period,)


def test_abstinence_greys_out_the_methods_and_is_saved(
    qtbot: QtBot, dialog: ContraceptionDialog, nurse_ctx: Context, course_id: int
) -> None:
    choice = dialog.abstinence_choice
    qtbot.mouseClick(choice, CLICK, pos=QPoint(8, choice.height() // 2))  # on the circle
    assert not dialog.primary_input.isEnabled()
    assert dialog.abstinence_label.isVisible()
    assert dialog.abstinence_label.text().startswith("Abstinence: no penile")
    qtbot.keyClick(dialog.starts_input, Qt.Key.Key_Return)
    assert _saved(nurse_ctx, course_id) == (
        ContraceptionPeriod(date(2026, 11, 20), abstinence=True),
    )
