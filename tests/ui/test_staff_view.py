"""Staff accounts as an administrator sees them: add a nurse, deactivate, reset a password."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.services.errors import AuthenticationFailed
from desktop.services.staff import sign_in
from desktop.ui import messages
from desktop.ui.staff.reset_password_dialog import ResetPasswordDialog
from desktop.ui.staff.staff_dialog import StaffDialog
from desktop.ui.staff.staff_view import StaffView
from tests.conftest import PASSWORD
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import answer_modal, type_text


def _view(qtbot: QtBot, ctx: Context) -> StaffView:
    view = StaffView(ctx)
    qtbot.addWidget(view)
    view.resize(800, 400)
    view.show()
    return view


def _rows(view: StaffView) -> list[list[str]]:
    model = view.model
    return [
        [model.data(model.index(row, column)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def _select(view: StaffView, username: str) -> None:
    row = next(r for r, s in enumerate(view.model.records()) if s.username == username)
    view.table.selectRow(row)


def test_add_a_nurse_who_can_then_sign_in(
    qtbot: QtBot, admin_ctx: Context, screenshot: Screenshot
) -> None:
    view = _view(qtbot, admin_ctx)
    assert _rows(view) == [["admin", "Ada Admin", "Administrator", "Active"]]

    def fill(dialog: StaffDialog) -> None:
        qtbot.keyClicks(dialog.username_input, "nina")
        type_text(dialog.display_name_input, "Nina Núñez")
        assert dialog.role_input.currentText() == "Nurse"
        qtbot.keyClicks(dialog.password_input.password_edit, PASSWORD)
        qtbot.keyClicks(dialog.password_input.confirm_edit, PASSWORD)
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answer_modal(StaffDialog, fill)
    qtbot.mouseClick(view.add_button, Qt.MouseButton.LeftButton)
    assert ["nina", "Nina Núñez", "Nurse", "Active"] in _rows(view)
    assert view.message_label.text() == "Added Nina Núñez; they can sign in as nina."
    assert sign_in(admin_ctx.clinic, "nina", PASSWORD).actor.display_name == "Nina Núñez"
    screenshot(view, "staff-view")


def test_add_staff_refuses_a_bad_username_beside_the_field(
    qtbot: QtBot, admin_ctx: Context
) -> None:
    dialog = StaffDialog(admin_ctx)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.username_input, "Nina Nurse")
    qtbot.keyClicks(dialog.display_name_input, "Nina Nurse")
    qtbot.keyClicks(dialog.password_input.password_edit, PASSWORD)
    qtbot.keyClicks(dialog.password_input.confirm_edit, PASSWORD)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "lower-case letters" in dialog.problems.problem_label("username").text()
    assert dialog.result_record is None


def test_deactivate_after_confirming_stops_sign_in(
    qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def say_yes(_parent: object, question: str) -> bool:
        asked.append(question)
        return True

    monkeypatch.setattr(messages, "confirm", say_yes)
    view = _view(qtbot, admin_ctx)
    _select(view, "nina")
    assert view.active_button.text() == "&Deactivate"
    qtbot.mouseClick(view.active_button, Qt.MouseButton.LeftButton)
    assert asked == ["Deactivate Nina Nurse? They will no longer be able to sign in."]
    assert ["nina", "Nina Nurse", "Nurse", "Deactivated"] in _rows(view)
    assert view.message_label.text() == "Nina Nurse is deactivated."
    assert view.active_button.text() == "Re&activate"
    with pytest.raises(AuthenticationFailed):
        sign_in(admin_ctx.clinic, "nina", PASSWORD)

    qtbot.mouseClick(view.active_button, Qt.MouseButton.LeftButton)
    assert ["nina", "Nina Nurse", "Nurse", "Active"] in _rows(view)


def test_deactivating_yourself_is_refused_with_the_reason(
    qtbot: QtBot, admin_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages, "confirm", lambda _parent, _q: True)
    view = _view(qtbot, admin_ctx)
    _select(view, "admin")
    qtbot.mouseClick(view.active_button, Qt.MouseButton.LeftButton)
    assert view.message_label.text() == "You cannot deactivate your own account."
    assert _rows(view)[0][3] == "Active"


def test_saying_no_to_the_question_changes_nothing(
    qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages, "confirm", lambda _parent, _q: False)
    view = _view(qtbot, admin_ctx)
    _select(view, "nina")
    qtbot.mouseClick(view.active_button, Qt.MouseButton.LeftButton)
    assert ["nina", "Nina Nurse", "Nurse", "Active"] in _rows(view)


def test_reset_password_asks_twice_and_the_new_one_works(
    qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context
) -> None:
    view = _view(qtbot, admin_ctx)
    _select(view, "nina")

    def fill(dialog: ResetPasswordDialog) -> None:
        qtbot.keyClicks(dialog.password_input.password_edit, "a new long secret")
        qtbot.keyClicks(dialog.password_input.confirm_edit, "a new long secreT")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
        assert "differ" in dialog.error_label.text()
        dialog.password_input.confirm_edit.clear()
        qtbot.keyClicks(dialog.password_input.confirm_edit, "a new long secret")
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answered = answer_modal(ResetPasswordDialog, fill)
    qtbot.mouseClick(view.reset_button, Qt.MouseButton.LeftButton)
    assert answered
    assert view.message_label.text() == "New password set for Nina Nurse."
    assert sign_in(admin_ctx.clinic, "nina", "a new long secret").actor.username == "nina"


def test_staff_are_listed_by_name(qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context) -> None:
    view = _view(qtbot, admin_ctx)
    assert [row[1] for row in _rows(view)] == ["Ada Admin", "Nina Nurse"]
