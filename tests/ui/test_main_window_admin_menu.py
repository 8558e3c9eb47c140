"""The File menu opens the clinic's PDF forms and consent templates by keyboard: an
administrator can change them, a nurse sees them read-only, and a locked window opens
neither."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QMenu
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.ui.main_window import MainWindow
from desktop.ui.settings.clinic_forms_dialog import ClinicFormsDialog
from desktop.ui.settings.consent_templates_dialog import ConsentTemplatesDialog
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import answer_modal

ALT = Qt.KeyboardModifier.AltModifier


def _window(qtbot: QtBot, ctx: Context) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):  # Alt+F reaches only the active window
        window.activateWindow()
    return window


def _open_file_menu(qtbot: QtBot, window: MainWindow) -> QMenu:
    qtbot.keyClick(window, Qt.Key.Key_F, ALT)
    qtbot.waitUntil(lambda: QApplication.activePopupWidget() is not None)  # shown next turn
    menu = QApplication.activePopupWidget()
    assert isinstance(menu, QMenu)
    assert menu.title() == "&File"
    return menu


def _file_menu_texts(window: MainWindow) -> list[str]:
    [file_menu] = [a.menu() for a in window.menuBar().actions() if a.text() == "&File"]
    assert isinstance(file_menu, QMenu)
    return [a.text() for a in file_menu.actions() if a.isVisible() and not a.isSeparator()]


def _choose(qtbot: QtBot, window: MainWindow, key: Qt.Key, kind: type[QDialog]) -> QDialog:
    """Alt+F, then the item's underlined letter; the dialog is closed with Escape once its
    error line has been read into its `seen_error` property."""

    def read_and_close(dialog: QDialog) -> None:
        [error] = [w for w in dialog.findChildren(QLabel, "error") if w.parent() is dialog]
        dialog.setProperty("seen_error", error.text())
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    seen = answer_modal(kind, read_and_close)
    menu = _open_file_menu(qtbot, window)
    qtbot.keyClick(menu, key)
    [dialog] = seen
    assert dialog.parent() is window
    assert not dialog.isVisible()
    return dialog


FORMS = (Qt.Key.Key_F, ClinicFormsDialog, "Only an administrator can change the clinic's forms.")
TEMPLATES = (
    Qt.Key.Key_T,
    ConsentTemplatesDialog,
    "Only an administrator can add consent template versions.",
)


def _can_change(dialog: QDialog) -> bool:
    if isinstance(dialog, ClinicFormsDialog):
        return dialog.add_button.isEnabled()
    assert isinstance(dialog, ConsentTemplatesDialog)
    return dialog.save_button.isEnabled()


def test_the_file_menu_lists_both_dialogs(
    qtbot: QtBot, admin_ctx: Context, screenshot: Screenshot
) -> None:
    window = _window(qtbot, admin_ctx)
    assert _file_menu_texts(window) == [
        "&Lock",
        "Clinic &settings…",
        "Clinic PDF &forms…",
        "Consent &templates…",
        "&Print today's",
        "&Quit",
    ]
    menu = _open_file_menu(qtbot, window)
    screenshot(menu, "file-menu-admin")
    qtbot.keyClick(menu, Qt.Key.Key_Escape)


@pytest.mark.parametrize(("key", "kind", "admin_only"), [FORMS, TEMPLATES])
def test_an_administrator_opens_it_by_keyboard_and_may_change_it(
    qtbot: QtBot, admin_ctx: Context, key: Qt.Key, kind: type[QDialog], admin_only: str
) -> None:
    dialog = _choose(qtbot, _window(qtbot, admin_ctx), key, kind)
    assert isinstance(dialog, kind)
    assert _can_change(dialog)
    assert dialog.property("seen_error") == ""


@pytest.mark.parametrize(("key", "kind", "admin_only"), [FORMS, TEMPLATES])
def test_a_nurse_opens_it_by_keyboard_read_only(
    qtbot: QtBot, nurse_ctx: Context, key: Qt.Key, kind: type[QDialog], admin_only: str
) -> None:
    window = _window(qtbot, nurse_ctx)
    assert "Clinic &settings…" not in _file_menu_texts(window)
    dialog = _choose(qtbot, window, key, kind)
    assert isinstance(dialog, kind)
    assert not _can_change(dialog)
    assert dialog.property("seen_error") == admin_only


def test_a_locked_window_offers_neither(qtbot: QtBot, admin_ctx: Context) -> None:
    window = _window(qtbot, admin_ctx)
    window.lock()
    assert not window.clinic_forms_action.isEnabled()
    assert not window.consent_templates_action.isEnabled()
    forms = answer_modal(ClinicFormsDialog, lambda dialog: dialog.reject())
    templates = answer_modal(ConsentTemplatesDialog, lambda dialog: dialog.reject())
    window.show_clinic_forms()  # as the menu would, were it enabled: had a dialog run
    window.show_consent_templates()  # modally, its answer would have closed it by now
    assert (forms, templates) == ([], [])
    assert window.unlock_dialog is not None
    window.unlock_dialog.reject()
