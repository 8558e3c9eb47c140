"""The main window's pages other than the worklist are built when first opened (issue 4:
sign-in to a painted worklist) and behave as if they had been there all along; the open
worklist follows a change to the clinic settings it depends on."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.services.patients import register_patient
from desktop.ui.main_window import MainWindow
from desktop.ui.settings.clinic_settings_dialog import ClinicSettingsDialog
from tests.conftest import PASSWORD, patient_draft
from tests.services.test_worklist_settings import (
    LATER_GO_LIVE,
    course_for_patient_who_cannot_get_pregnant,
)
from tests.ui.keyboard import answer_modal
from tests.ui.test_idle_lock import readable

CTRL = Qt.KeyboardModifier.ControlModifier
SURNAME = "O'Brien"


def _window(qtbot: QtBot, ctx: Context) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


def _is_locked(window: MainWindow) -> bool:
    return window.is_locked  # read through a call: the lock changes behind mypy's back


def _sign_in_again(qtbot: QtBot, window: MainWindow, username: str) -> None:
    dialog = window.unlock_dialog
    assert dialog is not None
    dialog.username_input.clear()
    qtbot.keyClicks(dialog.username_input, username)
    qtbot.keyClicks(dialog.password_input, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert not _is_locked(window)


def test_only_the_worklist_is_built_at_sign_in(qtbot: QtBot, admin_ctx: Context) -> None:
    window = _window(qtbot, admin_ctx)
    assert window.worklist_view.isVisible()
    assert not window.patients_page.is_built
    assert window.staff_page is not None
    assert not window.staff_page.is_built


def test_the_patients_page_shows_its_list_when_first_opened_with_the_arrow_keys(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    register_patient(nurse_ctx, patient_draft())
    window = _window(qtbot, nurse_ctx)
    window.nav_list.setFocus()
    qtbot.keyClick(window.nav_list, Qt.Key.Key_Down)
    assert window.patients_page.is_built
    view = window.patients_view
    assert view.isVisible()
    assert view.model.rowCount() == 1
    assert view.count_label.text() == "1 patient"
    assert window.nav_list.hasFocus()  # still browsing the pages


def test_ctrl_2_opens_the_patients_page_ready_to_search(qtbot: QtBot, nurse_ctx: Context) -> None:
    register_patient(nurse_ctx, patient_draft())
    window = _window(qtbot, nurse_ctx)
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    view = window.patients_view
    assert view.isVisible()
    assert view.model.rowCount() == 1
    assert QApplication.focusWidget() is view.search_input


def test_ctrl_3_opens_the_staff_page_for_an_administrator(
    qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context
) -> None:
    window = _window(qtbot, admin_ctx)
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    staff = window.staff_view
    assert staff is not None
    assert staff.isVisible()
    names = {staff.model.record_at(row).display_name for row in range(staff.model.rowCount())}
    assert names == {"Ada Admin", "Nina Nurse"}


def test_a_page_first_opened_after_unlocking_is_hidden_by_the_next_lock(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    register_patient(nurse_ctx, patient_draft())
    window = _window(qtbot, nurse_ctx)
    window.lock()
    _sign_in_again(qtbot, window, "nina")
    assert not window.patients_page.is_built
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    assert readable(SURNAME)

    window.idle_lock.time_out_now()
    assert _is_locked(window)
    assert readable(SURNAME) == []


def test_a_different_user_gets_pages_built_for_them(
    qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context
) -> None:
    window = _window(qtbot, admin_ctx)
    qtbot.keyClick(window, Qt.Key.Key_3, CTRL)
    admins_page = window.patients_page
    window.lock()
    _sign_in_again(qtbot, window, "nina")
    assert window.patients_page is not admins_page
    assert not window.patients_page.is_built
    assert window.staff_page is None
    assert window.staff_view is None


def test_saving_a_later_ipledge_go_live_updates_the_open_worklist(
    qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    course_for_patient_who_cannot_get_pregnant(nurse_ctx)
    window = _window(qtbot, admin_ctx)
    view = window.worklist_view
    assert "Counselling confirmation (0)" in _kind_texts(window)

    def postpone(dialog: ClinicSettingsDialog) -> None:
        dialog.ipledge_date_input.clear()
        qtbot.keyClicks(dialog.ipledge_date_input, LATER_GO_LIVE.isoformat())
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer_modal(ClinicSettingsDialog, postpone)
    window.settings_action.trigger()
    assert "Counselling confirmation (1)" in _kind_texts(window)
    messages = [view.model.record_at(row).message for row in range(view.model.rowCount())]
    assert (
        "Prescriber to confirm counselling in iPLEDGE before the prescription due 2026-11-22."
        in messages
    )


def _kind_texts(window: MainWindow) -> list[str]:
    kinds = window.worklist_view.kind_input
    return [kinds.itemText(row) for row in range(kinds.count())]
