"""Recording a pregnancy test: what the rules refuse shows beside the field; a positive
result shows its hard stop before and after saving."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date
from itertools import pairwise

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.rules.pregnancy_tests import (
    HARD_STOP_MESSAGE,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
)
from desktop.services.context import Context
from desktop.services.course_overview import get_course_overview
from desktop.ui.ipledge.pregnancy_test_dialog import PregnancyTestDialog
from tests.ui.courses import start_test_course
from tests.ui.focus import next_tab_stop

CLICK = Qt.MouseButton.LeftButton


@pytest.fixture
def course_id(nurse_ctx: Context, prescriber_ctx: Context) -> int:
    return start_test_course(nurse_ctx).id


def _dialog(
    qtbot: QtBot,
    ctx: Context,
    course_id: int,
    purpose: PregnancyTestPurpose = PregnancyTestPurpose.MONTHLY,
) -> PregnancyTestDialog:
    dialog = PregnancyTestDialog(ctx, course_id, purpose=purpose)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _choose(dialog: PregnancyTestDialog, setting: str, result: str) -> None:
    dialog.setting_input.setCurrentIndex(dialog.setting_input.findText(setting))
    dialog.result_input.setCurrentIndex(dialog.result_input.findText(result))


def _saved_tests(ctx: Context, course_id: int) -> list[tuple[date, PregnancyTestResult]]:
    facts = get_course_overview(ctx, course_id).facts
    assert facts is not None
    return [(t.specimen_on, t.result) for t in facts.pregnancy_tests]


def test_a_home_test_is_refused_beside_the_setting_when_the_prescriber_has_not_allowed_it(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course_id)
    _choose(dialog, "Home test", "Negative")
    qtbot.mouseClick(dialog.save_button, CLICK)
    message = (
        "The prescriber has not allowed home tests for this patient; repeat the test in a "
        "medical setting or ask the prescriber."
    )
    assert dialog.problems.problem_label("setting").text() == message
    assert dialog.error_label.text() == message
    assert dialog.result_record is None
    assert dialog.isVisible()
    assert _saved_tests(nurse_ctx, course_id) == []


def test_a_home_screening_test_is_refused_whatever_the_prescriber_allows(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course_id, PregnancyTestPurpose.SCREENING)
    assert dialog.purpose_input.currentText() == "Screening (before enrolment)"
    _choose(dialog, "Home test", "Negative")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert (
        dialog.problems.problem_label("setting")
        .text()
        .startswith("Screening and confirmation tests must be done in a medical setting")
    )


def test_a_positive_result_shows_the_hard_stop_at_once_and_is_saved(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course_id)
    assert not dialog.hard_stop_label.isVisible()
    _choose(dialog, "Medical setting (office, clinic or lab)", "Positive")
    assert dialog.hard_stop_label.isVisible()
    assert dialog.hard_stop_label.text() == HARD_STOP_MESSAGE
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.result_record is not None
    assert dialog.result_record.result is PregnancyTestResult.POSITIVE
    assert _saved_tests(nurse_ctx, course_id) == [
        (date(2026, 11, 20), PregnancyTestResult.POSITIVE)
    ]


def test_the_result_must_be_chosen_never_assumed_negative(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course_id)
    assert dialog.result_input.currentText() == "Choose…"
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("result").text() == "Choose the result."
    assert dialog.focusWidget() is dialog.result_input


def test_a_future_specimen_date_is_refused_beside_the_date(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course_id)
    dialog.specimen_input.clear()
    qtbot.keyClicks(dialog.specimen_input, "2026-11-21")
    _choose(dialog, "Medical setting (office, clinic or lab)", "Negative")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("specimen_on").text() == "This date is in the future."


def test_enter_saves_a_negative_medical_test_typed_from_the_keyboard(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course_id)
    dialog.specimen_input.clear()
    qtbot.keyClicks(dialog.specimen_input, "11/18/2026")
    _choose(dialog, "Medical setting (office, clinic or lab)", "Negative")
    qtbot.keyClick(dialog.specimen_input, Qt.Key.Key_Return)
    assert dialog.result_record is not None
    assert dialog.result_record.setting is PregnancyTestSetting.MEDICAL
    assert dialog.result_record.verified_by == "Nina Nurse"
    assert _saved_tests(nurse_ctx, course_id) == [
        (date(2026, 11, 18), PregnancyTestResult.NEGATIVE)
    ]


def test_the_laboratory_question_appears_only_for_a_confirmation_test(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course_id)
    assert not dialog.clia_input.isVisible()
    dialog.purpose_input.setCurrentIndex(
        dialog.purpose_input.findText("Confirmation (before the first prescription)")
    )
    assert dialog.clia_input.isVisible()


def test_tab_follows_the_form_from_top_to_save(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course_id)
    chain = (
        dialog.purpose_input, dialog.specimen_input, dialog.setting_input,
        dialog.method_input, dialog.result_input, dialog.verified_by_input,
        dialog.verification_input, dialog.save_button,
    )  # fmt: skip
    for first, second in pairwise(chain):
        assert next_tab_stop(first) is second
