"""Correcting a prescriber's signed counselling confirmation from the iPLEDGE tab (issue 6,
item 11): select it, Correct counselling confirmation…, type the right day, the reason and
the password; the records keep the old confirmation struck through with who voided it, when
and why, beside the new one. A void alone makes the month's counselling step due again. Only
prescribers may, and only the prescriber who signed may sign a correction."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from collections.abc import Callable
from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QFont
from PySide6.QtWidgets import QDialog, QScrollArea
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.services.course_overview import get_course_overview
from desktop.services.course_records import CourseRecord
from desktop.services.ipledge_steps import (
    PRESCRIBER_ONLY_CORRECTION,
    confirm_counseling,
    void_counseling_confirmation,
)
from desktop.services.patients import patient_history
from desktop.services.records import CounselingConfirmationRecord
from desktop.services.roles import Role
from desktop.services.signatures import (
    COUNSELING_MEANING,
    REASON_MAX_CHARS,
    REASON_PROBLEM,
    VOID_MEANING,
)
from desktop.services.staff import StaffDraft, add_staff, sign_in
from desktop.ui.ipledge.counseling_correction_dialog import (
    CONFIRMED_PROBLEM,
    VOID,
    CounselingCorrectionDialog,
)
from desktop.ui.ipledge.ipledge_panel import IpledgePanel
from desktop.ui.signed_record_correction_dialog import CORRECT
from desktop.ui.signed_records_table_model import VOIDED_COLOUR
from desktop.ui.widgets.date_input import NO_SUCH_DATE_PROBLEM
from tests.conftest import PASSWORD
from tests.ui.conftest import Screenshot
from tests.ui.courses import start_test_course
from tests.ui.keyboard import answer_modal, type_text
from tests.ui.mnemonics import clashes

CLICK = Qt.MouseButton.LeftButton
ALT = Qt.KeyboardModifier.AltModifier
WRONG_DAY = date(2026, 11, 19)
COUNSELLED = "Prescriber confirmed counselling in iPLEDGE"
SIGNED = "2026-11-20 10:30 Dr Priya Park"
REASON = "Counselled on the 18th; confirmed a day late by mistake"
WRONG_PASSWORD = "The password is not right; nothing was signed or saved."
STEP = "Prescriber confirms counselling in iPLEDGE"


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    return start_test_course(nurse_ctx)


def _confirmed(ctx: Context, course: CourseRecord, on: date = WRONG_DAY) -> int:
    return confirm_counseling(ctx, course.id, on, PASSWORD)


def _on_record(ctx: Context, course: CourseRecord) -> tuple[CounselingConfirmationRecord, ...]:
    return get_course_overview(ctx, course.id).counseling_confirmations


def _saved(ctx: Context, course: CourseRecord) -> tuple[object, ...]:
    """Everything a refused save must leave as it was: the confirmations and the History."""
    return _on_record(ctx, course), patient_history(ctx, course.patient_id)


def _panel(qtbot: QtBot, ctx: Context, course: CourseRecord) -> IpledgePanel:
    panel = IpledgePanel(ctx, course.id)
    qtbot.addWidget(panel)
    panel.resize(1000, 900)
    panel.show()
    return panel


def _dialog(qtbot: QtBot, ctx: Context, course: CourseRecord) -> CounselingCorrectionDialog:
    """The dialog on the course's only confirmation, as the button opens it."""
    (signed,) = _on_record(ctx, course)
    dialog = CounselingCorrectionDialog(ctx, signed)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitUntil(dialog.isActiveWindow)  # where the focus goes is asserted
    return dialog


def _answer(
    qtbot: QtBot, answer: Callable[[CounselingCorrectionDialog], None]
) -> list[CounselingCorrectionDialog]:
    """`answer_modal`, once the dialog is the active window: offscreen it may not be yet
    when first shown, and where the focus goes and Alt+letter depend on it."""

    def answer_when_active(dialog: CounselingCorrectionDialog) -> None:
        qtbot.waitUntil(dialog.isActiveWindow)
        answer(dialog)

    return answer_modal(CounselingCorrectionDialog, answer_when_active)


def _rows(panel: IpledgePanel) -> list[list[str]]:
    model = panel.records_panel.confirmations_model
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _click_row(qtbot: QtBot, panel: IpledgePanel, row: int) -> None:
    records = panel.records_panel
    table = records.confirmations_table
    cell = table.visualRect(records.confirmations_model.index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), CLICK, pos=cell)


def _struck(panel: IpledgePanel, row: int, column: int) -> bool:
    model = panel.records_panel.confirmations_model
    font = model.data(model.index(row, column), Qt.ItemDataRole.FontRole)
    return isinstance(font, QFont) and font.strikeOut()


def _greyed(panel: IpledgePanel, row: int) -> bool:
    model = panel.records_panel.confirmations_model
    brush = model.data(model.index(row, 0), Qt.ItemDataRole.ForegroundRole)
    return isinstance(brush, QBrush) and brush.color().name() == VOIDED_COLOUR


def _step_state(panel: IpledgePanel) -> str:
    model = panel.cycle_panel.steps_model
    states = {model.data(model.index(r, 0)): model.data(model.index(r, 1)) for r in range(2)}
    return str(states[STEP])


def test_a_prescriber_corrects_the_day_and_the_old_one_stays_struck_through_with_its_reason(
    qtbot: QtBot, prescriber_ctx: Context, course: CourseRecord, screenshot: Screenshot
) -> None:
    old_id = _confirmed(prescriber_ctx, course)
    panel = _panel(qtbot, prescriber_ctx, course)
    changed: list[int] = []
    panel.course_changed.connect(changed.append)
    button = panel.records_panel.correct_counseling_button
    assert button.text() == "Correct counselling confir&mation…"
    assert not button.isEnabled()  # nothing selected yet
    _click_row(qtbot, panel, 0)
    assert button.isEnabled()

    def fill(dialog: CounselingCorrectionDialog) -> None:
        assert dialog.signed_label.text() == (
            "Counselling confirmed in iPLEDGE on 2026-11-19, signed by Dr Priya Park at "
            "2026-11-20 10:30"
        )
        assert dialog.meaning_label.text().endswith(COUNSELING_MEANING)
        assert dialog.save_button.text() == CORRECT
        assert dialog.confirmed_input.hasFocus()
        dialog.confirmed_input.selectAll()
        qtbot.keyClicks(dialog.confirmed_input, "2026-11-18")
        qtbot.keyClicks(dialog.reason_input, REASON)
        qtbot.keyClicks(dialog.password_input, PASSWORD)
        screenshot(dialog, "counseling-correction-dialog")
        qtbot.keyClick(dialog.password_input, Qt.Key.Key_Return)

    seen = _answer(qtbot, fill)
    qtbot.mouseClick(button, CLICK)

    assert len(seen) == 1
    new_id = seen[0].result_record
    assert new_id is not None
    assert changed == [course.id]
    assert _rows(panel) == [
        [
            "2026-11-19",
            COUNSELLED,
            SIGNED,
            f"Voided 2026-11-20 10:30 by Dr Priya Park: {REASON}; replaced by a correction",
        ],
        ["2026-11-18", COUNSELLED, SIGNED, "Valid (corrects an earlier entry)"],
    ]
    assert _struck(panel, 0, 0)
    assert _struck(panel, 0, 1)
    assert _greyed(panel, 0)
    assert not _struck(panel, 0, 3)  # the status says why, in plain text
    assert not _struck(panel, 1, 0)
    assert not _greyed(panel, 1)
    assert _step_state(panel) == "✓ Done"  # the corrected day still counts
    _click_row(qtbot, panel, 0)
    assert not button.isEnabled()  # a voided confirmation is not corrected twice
    _click_row(qtbot, panel, 1)
    assert button.isEnabled()
    corrected, voided = patient_history(prescriber_ctx, course.patient_id)[:2]
    assert (corrected.action, corrected.entity_id, corrected.reason) == (
        "counseling.correct",
        new_id,
        REASON,
    )
    assert (voided.action, voided.entity_id, voided.reason) == ("counseling.void", old_id, REASON)
    # A panel opened afresh, as test_ipledge_panel's picture says why.
    fresh = _panel(qtbot, prescriber_ctx, course)
    fresh.records_panel.confirmations_table.selectRow(1)
    scroll = fresh.findChild(QScrollArea)
    assert scroll is not None
    scroll.ensureWidgetVisible(fresh.records_panel.correct_counseling_button)
    screenshot(fresh, "ipledge-counseling-corrected")


def test_a_void_in_error_makes_the_months_counselling_step_due_again(
    qtbot: QtBot, prescriber_ctx: Context, course: CourseRecord
) -> None:
    _confirmed(prescriber_ctx, course)
    panel = _panel(qtbot, prescriber_ctx, course)
    assert _step_state(panel) == "✓ Done"
    changed: list[int] = []
    panel.course_changed.connect(changed.append)
    _click_row(qtbot, panel, 0)

    def void(dialog: CounselingCorrectionDialog) -> None:
        assert clashes(dialog) == {}
        qtbot.keyClick(dialog.void_input, Qt.Key.Key_E, ALT)
        qtbot.waitUntil(dialog.void_input.isChecked)  # a mnemonic clicks after its animation
        assert dialog.save_button.text() == VOID
        assert not dialog.confirmed_input.isVisible()
        assert dialog.meaning_label.text().endswith(VOID_MEANING)
        qtbot.keyClicks(dialog.reason_input, "Recorded on the wrong patient's chart")
        qtbot.keyClicks(dialog.password_input, PASSWORD)
        qtbot.keyClick(dialog.password_input, Qt.Key.Key_Return)

    seen = _answer(qtbot, void)
    qtbot.waitUntil(panel.isActiveWindow)
    qtbot.keyClick(panel, Qt.Key.Key_M, ALT)  # Correct counselling confir&mation…
    qtbot.waitUntil(lambda: bool(changed))  # a button's mnemonic clicks after its animation

    assert len(seen) == 1
    assert changed == [course.id]
    assert _step_state(panel) != "✓ Done"
    assert _rows(panel) == [
        [
            "2026-11-19",
            COUNSELLED,
            SIGNED,
            "Voided 2026-11-20 10:30 by Dr Priya Park: Recorded on the wrong patient's chart",
        ]
    ]
    assert _struck(panel, 0, 2)
    _click_row(qtbot, panel, 0)
    assert not panel.records_panel.correct_counseling_button.isEnabled()


def test_an_empty_reason_and_a_bad_day_are_refused_beside_their_fields_with_nothing_saved(
    qtbot: QtBot, prescriber_ctx: Context, course: CourseRecord
) -> None:
    _confirmed(prescriber_ctx, course)
    before = _saved(prescriber_ctx, course)
    dialog = _dialog(qtbot, prescriber_ctx, course)
    assert clashes(dialog) == {}
    assert dialog.reason_input.maxLength() > REASON_MAX_CHARS  # too long is said, not cut
    reason_problem = dialog.problems.problem_label("reason")
    day_problem = dialog.problems.problem_label("confirmed_on")

    dialog.confirmed_input.selectAll()
    qtbot.keyClicks(dialog.confirmed_input, "2026-11-18")
    qtbot.keyClicks(dialog.password_input, PASSWORD)
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert reason_problem.text() == REASON_PROBLEM
    assert reason_problem.isVisible()
    assert dialog.error_label.text() == REASON_PROBLEM
    assert dialog.reason_input.hasFocus()

    qtbot.keyClicks(dialog.reason_input, "   ")  # only spaces: no reason either
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert reason_problem.text() == REASON_PROBLEM

    dialog.reason_input.clear()
    type_text(dialog.reason_input, "Conseillé le 18, confirmé le 19")
    dialog.confirmed_input.clear()
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert day_problem.text() == CONFIRMED_PROBLEM
    assert not reason_problem.isVisible()

    qtbot.keyClicks(dialog.confirmed_input, "2026-02-29")  # no such day: never guessed
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert day_problem.text() == NO_SUCH_DATE_PROBLEM

    dialog.confirmed_input.clear()
    qtbot.keyClicks(dialog.confirmed_input, "2026-12-01")  # the service's own check
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert day_problem.text() == "This date is in the future."

    dialog.confirmed_input.selectAll()
    qtbot.keyClicks(dialog.confirmed_input, "2026-11-19")  # as signed: nothing to correct
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert reason_problem.text().startswith("Nothing differs from the signed confirmation")

    assert dialog.isVisible()
    assert dialog.result_record is None
    assert _saved(prescriber_ctx, course) == before


def test_a_wrong_password_is_refused_beside_it_and_saves_nothing(
    qtbot: QtBot, prescriber_ctx: Context, course: CourseRecord
) -> None:
    _confirmed(prescriber_ctx, course)
    before = _saved(prescriber_ctx, course)
    dialog = _dialog(qtbot, prescriber_ctx, course)
    dialog.confirmed_input.selectAll()
    qtbot.keyClicks(dialog.confirmed_input, "2026-11-18")
    qtbot.keyClicks(dialog.reason_input, REASON)
    qtbot.keyClicks(dialog.password_input, "not my password")
    qtbot.mouseClick(dialog.save_button, CLICK)
    password_problem = dialog.problems.problem_label("password")
    assert password_problem.text() == WRONG_PASSWORD
    assert password_problem.isVisible()
    assert dialog.password_input.text() == ""
    assert dialog.password_input.hasFocus()

    dialog.void_input.setChecked(True)  # a void is signed the same way
    qtbot.keyClicks(dialog.password_input, "still not it")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert password_problem.text() == WRONG_PASSWORD

    assert dialog.isVisible()
    assert dialog.result_record is None
    assert _saved(prescriber_ctx, course) == before


def test_a_nurse_cannot_correct_a_counselling_confirmation(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, course: CourseRecord
) -> None:
    _confirmed(prescriber_ctx, course)
    before = _saved(nurse_ctx, course)
    panel = _panel(qtbot, nurse_ctx, course)
    button = panel.records_panel.correct_counseling_button
    _click_row(qtbot, panel, 0)
    assert panel.records_panel.selected_counseling() is not None
    assert not button.isEnabled()
    assert button.toolTip() == PRESCRIBER_ONLY_CORRECTION

    # Reached anyway (a role changed under her): the service's refusal is shown.
    dialog = _dialog(qtbot, nurse_ctx, course)
    dialog.void_input.setChecked(True)
    qtbot.keyClicks(dialog.reason_input, "Not counselled")
    qtbot.keyClicks(dialog.password_input, PASSWORD)
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.error_label.text() == PRESCRIBER_ONLY_CORRECTION
    assert dialog.result_record is None
    assert _saved(nurse_ctx, course) == before


def test_only_the_prescriber_who_signed_may_sign_its_correction_but_another_may_void_it(
    qtbot: QtBot, admin_ctx: Context, prescriber_ctx: Context, course: CourseRecord
) -> None:
    _confirmed(prescriber_ctx, course)
    add_staff(admin_ctx, StaffDraft("drlee", "Dr Sam Lee", Role.PRESCRIBER, PASSWORD))
    other = sign_in(admin_ctx.clinic, "drlee", PASSWORD)
    dialog = _dialog(qtbot, other, course)
    dialog.confirmed_input.selectAll()
    qtbot.keyClicks(dialog.confirmed_input, "2026-11-18")
    qtbot.keyClicks(dialog.reason_input, REASON)
    qtbot.keyClicks(dialog.password_input, PASSWORD)
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.error_label.text().startswith(
        "Dr Priya Park signed this confirmation, so only they can sign its correction."
    )
    assert dialog.result_record is None

    dialog.void_input.setChecked(True)
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.result() == QDialog.DialogCode.Accepted
    (voided,) = _on_record(other, course)
    assert voided.voided is not None
    assert (voided.voided.voided_by_name, voided.voided.reason) == ("Dr Sam Lee", REASON)


def test_a_confirmation_voided_at_another_workstation_meanwhile_is_refused_naming_who(
    qtbot: QtBot, prescriber_ctx: Context, course: CourseRecord
) -> None:
    confirmation = _confirmed(prescriber_ctx, course)
    dialog = _dialog(qtbot, prescriber_ctx, course)
    void_counseling_confirmation(prescriber_ctx, confirmation, "In error", PASSWORD)
    dialog.confirmed_input.selectAll()
    qtbot.keyClicks(dialog.confirmed_input, "2026-11-18")
    qtbot.keyClicks(dialog.reason_input, REASON)
    qtbot.keyClicks(dialog.password_input, PASSWORD)
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.error_label.text().startswith(
        "This counselling confirmation was voided by Dr Priya Park at 2026-11-20 10:30 EST"
    )
    assert dialog.result_record is None
    assert len(_on_record(prescriber_ctx, course)) == 1
