"""The main window: title, navigation by role, the worklist's empty state, and locking."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

import pytest
from PySide6.QtCore import Qt
from pytestqt.logging import _QtMessageCapture
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.services.patients import register_patient
from desktop.ui.main_window import MainWindow
from desktop.ui.printing.print_batch_dialog import BatchKind, PrintBatchDialog
from tests.conftest import PASSWORD, patient_draft
from tests.ui.conftest import Screenshot


def _window(qtbot: QtBot, ctx: Context) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):  # Ctrl+L reaches only the active window
        window.activateWindow()
    return window


def _is_locked(window: MainWindow) -> bool:
    return window.is_locked  # read through a call: the lock changes behind mypy's back


def _nav_titles(window: MainWindow) -> list[str]:
    return [window.nav_list.item(row).text() for row in range(window.nav_list.count())]


def test_title_names_clinic_user_and_role(qtbot: QtBot, admin_ctx: Context) -> None:
    window = _window(qtbot, admin_ctx)
    assert window.windowTitle() == "IsoTrack — Riverside Dermatology — Ada Admin (Administrator)"


def test_staff_page_is_offered_to_administrators_only(
    qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context
) -> None:
    assert _nav_titles(_window(qtbot, admin_ctx)) == ["Worklist", "Patients", "Staff"]
    nurse_window = _window(qtbot, nurse_ctx)
    assert _nav_titles(nurse_window) == ["Worklist", "Patients"]
    assert nurse_window.staff_view is None


def test_worklist_is_the_first_page_and_says_honestly_that_it_is_empty(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    window = _window(qtbot, nurse_ctx)
    assert window.worklist_view.isVisible()
    assert window.worklist_view.empty_label.isVisible()
    assert window.worklist_view.empty_label.text() == (
        "Nothing is overdue, due today or due this week."
    )
    assert window.nav_list.item(0).text() == "Worklist"


def test_opening_a_chart_and_going_back(
    qtbot: QtBot, nurse_ctx: Context, qtlog: _QtMessageCapture
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    window = _window(qtbot, nurse_ctx)
    window.nav_list.setCurrentRow(1)
    window.patients_view.chart_requested.emit(patient.id)
    chart = window.chart
    assert chart is not None
    assert chart.isVisible()
    assert chart.parent() is window.patients_stack  # built where it is shown
    qtbot.mouseClick(chart.back_button, Qt.MouseButton.LeftButton)
    assert window.chart is None
    assert window.patients_view.isVisible()
    assert window.patients_stack.currentWidget() is window.patients_page
    assert window.patients_view.hasFocus() or window.patients_view.isAncestorOf(
        window.focusWidget()
    )
    assert not [r for r in qtlog.records if "not contained" in r.message]


def test_ctrl_l_hides_patients_and_a_different_user_can_sign_in(
    qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context, screenshot: Screenshot
) -> None:
    register_patient(nurse_ctx, patient_draft())
    window = _window(qtbot, admin_ctx)
    window.nav_list.setCurrentRow(1)
    admins_list = window.patients_view
    assert admins_list.isVisible()
    assert admins_list.model.rowCount() == 1

    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert _is_locked(window)
    assert not admins_list.isVisible()
    assert window.locked_page.isVisible()
    assert window.windowTitle() == "IsoTrack — locked"
    dialog = window.unlock_dialog
    assert dialog is not None
    assert dialog.username_input.text() == "admin"
    screenshot(window, "locked")

    dialog.username_input.clear()
    qtbot.keyClicks(dialog.username_input, "nina")
    qtbot.keyClicks(dialog.password_input, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert not _is_locked(window)
    assert window.windowTitle() == "IsoTrack — Riverside Dermatology — Nina Nurse (Nurse)"
    assert _nav_titles(window) == ["Worklist", "Patients"]
    assert window.patients_view is not admins_list
    assert window.ctx.actor.username == "nina"


def test_the_same_user_unlocking_finds_the_chart_still_open(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    window = _window(qtbot, nurse_ctx)
    window.open_chart(patient.id)
    chart = window.chart
    window.lock()
    assert window.unlock_dialog is not None
    qtbot.keyClicks(window.unlock_dialog.password_input, "wrong password!")
    qtbot.mouseClick(window.unlock_dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert window.unlock_dialog.error_label.text() == "Wrong username or password."
    assert _is_locked(window)
    qtbot.keyClicks(window.unlock_dialog.password_input, PASSWORD)
    qtbot.mouseClick(window.unlock_dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert not _is_locked(window)
    assert window.chart is chart
    assert chart is not None
    assert chart.isVisible()


def test_cancelling_the_unlock_keeps_the_window_locked(qtbot: QtBot, nurse_ctx: Context) -> None:
    window = _window(qtbot, nurse_ctx)
    window.lock()
    assert window.unlock_dialog is not None
    window.unlock_dialog.reject()
    assert _is_locked(window)
    assert window.locked_page.isVisible()
    assert not window.lock_action.isEnabled()


def test_file_menu_prints_todays_batch(
    qtbot: QtBot, nurse_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[object] = []
    monkeypatch.setattr(
        PrintBatchDialog, "print_today", lambda ctx, kind, parent: asked.append(kind)
    )
    window = _window(qtbot, nurse_ctx)
    actions = window.print_today_menu.actions()
    assert [a.text() for a in actions] == [f"{k.value.capitalize()}…" for k in BatchKind]
    actions[0].trigger()
    assert asked == [BatchKind.CONSENT_PACKETS]
