"""First start and sign-in, typed as a nurse or administrator would."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.clinic_setup import needs_setup
from desktop.services.context import Clinic, Context
from desktop.services.roles import Role
from desktop.ui.login.login_dialog import LoginDialog
from desktop.ui.login.setup_dialog import SetupDialog
from tests.conftest import PASSWORD
from tests.ui.keyboard import type_text


def _fill_setup(qtbot: QtBot, dialog: SetupDialog, password: str) -> None:
    type_text(dialog.clinic_name_input, "Clínica Piel Sana")
    dialog.time_zone_input.setCurrentText("America/Chicago")
    qtbot.keyClicks(dialog.username_input, "jlee")
    qtbot.keyClicks(dialog.display_name_input, "Jo Lee")
    qtbot.keyClicks(dialog.password_input.password_edit, password)
    qtbot.keyClicks(dialog.password_input.confirm_edit, password)


def test_setup_refuses_a_nine_character_password_beside_the_field(
    qtbot: QtBot, clinic: Clinic
) -> None:
    dialog = SetupDialog(clinic)
    qtbot.addWidget(dialog)
    _fill_setup(qtbot, dialog, "123456789")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.problems.problem_label("password").text() == "Use at least 10 characters."
    assert dialog.error_label.text() == "Use at least 10 characters."
    assert dialog.result_context is None
    assert needs_setup(clinic)


def test_setup_shows_the_password_rule_before_anything_is_typed(
    qtbot: QtBot, clinic: Clinic
) -> None:
    dialog = SetupDialog(clinic)
    qtbot.addWidget(dialog)
    assert dialog.password_input.rule_label.text() == "At least 10 characters."
    assert dialog.time_zone_input.currentText() == "America/New_York"


def test_setup_refuses_two_different_passwords(qtbot: QtBot, clinic: Clinic) -> None:
    dialog = SetupDialog(clinic)
    qtbot.addWidget(dialog)
    _fill_setup(qtbot, dialog, PASSWORD)
    qtbot.keyClicks(dialog.password_input.confirm_edit, "x")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "differ" in dialog.problems.problem_label("password").text()
    assert needs_setup(clinic)


def test_setup_creates_the_clinic_and_signs_the_administrator_in(
    qtbot: QtBot, clinic: Clinic
) -> None:
    dialog = SetupDialog(clinic)
    qtbot.addWidget(dialog)
    _fill_setup(qtbot, dialog, PASSWORD)
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == ""
    assert dialog.result_context is not None
    assert dialog.result_context.actor.display_name == "Jo Lee"
    assert dialog.result_context.actor.role is Role.ADMIN
    assert str(dialog.result_context.time_zone) == "America/Chicago"
    assert not needs_setup(clinic)


def test_login_refuses_a_wrong_password_then_accepts_the_right_one(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    dialog = LoginDialog(nurse_ctx.clinic)
    qtbot.addWidget(dialog)
    dialog.show()  # Enter reaches the default button only in a visible dialog
    qtbot.keyClicks(dialog.username_input, "nina")
    qtbot.keyClicks(dialog.password_input, "not the password")
    qtbot.keyClick(dialog.password_input, Qt.Key.Key_Return)
    assert dialog.error_label.text() == "Wrong username or password."
    assert dialog.password_input.text() == ""

    qtbot.keyClicks(dialog.password_input, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.result_context is not None
    assert dialog.result_context.actor.username == "nina"
    assert dialog.result() == LoginDialog.DialogCode.Accepted


def test_login_asks_for_both_fields_before_checking(qtbot: QtBot, clinic: Clinic) -> None:
    dialog = LoginDialog(clinic)
    qtbot.addWidget(dialog)
    qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
    assert dialog.error_label.text() == "Type your username and password."


def test_unlocking_prefills_the_username(qtbot: QtBot, nurse_ctx: Context) -> None:
    dialog = LoginDialog(nurse_ctx.clinic, username="nina")
    qtbot.addWidget(dialog)
    assert dialog.username_input.text() == "nina"
    assert dialog.heading_label.text() == "Locked"
