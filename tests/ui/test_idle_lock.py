"""Idle auto-lock: the countdown, and what a lock hides and gives back. Locked, no patient
identifier is readable in any window, an open form included; the same user unlocking finds
the form with what they typed; anyone else finds it gone."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from collections.abc import Iterator

from PySide6.QtCore import QModelIndex, Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QApplication,
    QComboBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.services.clinic_setup import (
    ClinicSettingsDraft,
    get_clinic_settings,
    update_clinic_settings,
)
from desktop.services.context import Context
from desktop.services.patients import get_patient, register_patient
from desktop.services.records import PatientRecord
from desktop.ui.idle_lock import CURTAIN_TEXT, LOCKED_TITLE, IdleLock
from desktop.ui.main_window import MainWindow
from desktop.ui.patients.patient_dialog import PatientDialog
from tests.conftest import PASSWORD, patient_draft
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import answer_modal

CLICK = Qt.MouseButton.LeftButton
IDENTIFIERS = ("Zoë", "O'Brien", "MRN-1001", "555 010 2000", "zo@example.org")
TYPED_PHONE = "555 777 8888"


class FakeClock:
    def __init__(self) -> None:
        self.seconds = 1000.0

    def __call__(self) -> float:
        return self.seconds


def _model_texts(view: QAbstractItemView) -> Iterator[str]:
    model = view.model()
    try:
        columns = model.columnCount(QModelIndex())
    except TypeError:  # a list model keeps columnCount private: one column
        columns = 1
    for row in range(model.rowCount(QModelIndex())):
        for column in range(columns):
            value = model.data(model.index(row, column))
            if isinstance(value, str):
                yield value


def _texts(widget: QWidget) -> Iterator[str]:
    if widget.isWindow():
        yield widget.windowTitle()
    if isinstance(widget, QLabel | QLineEdit | QAbstractButton):
        yield widget.text()
    elif isinstance(widget, QPlainTextEdit):
        yield widget.toPlainText()
    elif isinstance(widget, QComboBox):
        yield widget.currentText()
    elif isinstance(widget, QAbstractItemView):
        yield from _model_texts(widget)


def visible_texts() -> list[str]:
    """Every text a person could read on the screen now."""
    return [
        text
        for widget in QApplication.allWidgets()
        if widget.isVisible()
        for text in _texts(widget)
        if text
    ]


def readable(identifier: str) -> list[str]:
    return [text for text in visible_texts() if identifier in text]


def _is_locked(window: MainWindow) -> bool:
    return window.is_locked  # read through a call: the lock changes behind mypy's back


def _window(qtbot: QtBot, ctx: Context) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):
        window.activateWindow()
    return window


def _sign_in(qtbot: QtBot, window: MainWindow, username: str) -> None:
    dialog = window.unlock_dialog
    assert dialog is not None
    dialog.username_input.clear()
    qtbot.keyClicks(dialog.username_input, username)
    qtbot.keyClicks(dialog.password_input, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, CLICK)


def _patient_with_chart_open(qtbot: QtBot, ctx: Context) -> tuple[MainWindow, PatientRecord]:
    patient = register_patient(ctx, patient_draft())
    window = _window(qtbot, ctx)
    window.open_chart(patient.id)
    assert readable("O'Brien")
    return window, patient


def _type_phone(qtbot: QtBot, dialog: PatientDialog) -> None:
    dialog.form.phone_input.clear()
    qtbot.keyClicks(dialog.form.phone_input, TYPED_PHONE)


def test_the_countdown_locks_only_after_the_full_idle_time(qtbot: QtBot) -> None:
    clock = FakeClock()
    owner = QWidget()
    qtbot.addWidget(owner)
    idle = IdleLock(10, owner, clock=clock)
    idle.start()
    assert idle.timer.interval() == 10 * 60_000
    clock.seconds += 9 * 60
    with qtbot.assertNotEmitted(idle.idle_timed_out):
        idle.timer.timeout.emit()
    assert idle.timer.isActive()
    assert idle.timer.interval() == 60_000  # waits for the minute that is left
    clock.seconds += 60
    with qtbot.waitSignal(idle.idle_timed_out, timeout=0):
        idle.timer.timeout.emit()


def test_typing_or_moving_the_mouse_restarts_the_countdown(qtbot: QtBot) -> None:
    clock = FakeClock()
    field = QLineEdit()
    qtbot.addWidget(field)
    field.show()
    idle = IdleLock(10, field, clock=clock)
    idle.start()
    clock.seconds += 9 * 60
    qtbot.keyClicks(field, "a")
    clock.seconds += 2 * 60
    with qtbot.assertNotEmitted(idle.idle_timed_out):
        idle.timer.timeout.emit()
    assert idle.timer.interval() == 8 * 60_000
    clock.seconds += 8 * 60
    qtbot.mouseMove(field)
    with qtbot.assertNotEmitted(idle.idle_timed_out):
        idle.timer.timeout.emit()


def test_the_window_uses_the_clinic_idle_minutes(
    qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context
) -> None:
    settings = get_clinic_settings(admin_ctx)
    draft = ClinicSettingsDraft(
        settings.clinic_name,
        settings.address,
        settings.phone,
        settings.time_zone,
        settings.ipledge_2026_effective_on,
        3,
    )
    update_clinic_settings(admin_ctx, draft, settings.version)
    window = _window(qtbot, nurse_ctx)
    assert window.idle_lock.idle_ms == 3 * 60_000
    assert window.idle_lock.timer.isActive()


def test_idle_hides_every_identifier_and_the_same_user_gets_the_form_back(
    qtbot: QtBot, nurse_ctx: Context, screenshot: Screenshot
) -> None:
    window, patient = _patient_with_chart_open(qtbot, nurse_ctx)
    chart = window.chart
    assert chart is not None
    seen: list[str] = []

    def while_editing(dialog: PatientDialog) -> None:
        _type_phone(qtbot, dialog)
        window.idle_lock.time_out_now()
        assert _is_locked(window)
        assert not window.idle_lock.timer.isActive()
        for identifier in (*IDENTIFIERS, TYPED_PHONE):
            assert readable(identifier) == [], identifier
        assert dialog.isVisible()  # still waiting in exec(): nothing is lost
        assert dialog.windowTitle() == LOCKED_TITLE
        assert CURTAIN_TEXT in visible_texts()
        unlock = window.unlock_dialog
        assert unlock is not None
        assert "Nina Nurse has a form open" in unlock.hint_label.text()
        screenshot(dialog, "locked-dialog")
        _sign_in(qtbot, window, "nina")
        assert not _is_locked(window)
        assert dialog.isVisible()
        assert dialog.form.phone_input.isVisible()
        assert dialog.form.phone_input.text() == TYPED_PHONE
        assert dialog.windowTitle().startswith("Edit patient")
        seen.append(dialog.form.phone_input.text())
        qtbot.mouseClick(dialog.save_button, CLICK)

    answer_modal(PatientDialog, while_editing)
    qtbot.mouseClick(chart.edit_button, CLICK)
    assert seen == [TYPED_PHONE]
    assert get_patient(nurse_ctx, patient.id).phone == TYPED_PHONE
    assert window.chart is chart
    assert window.idle_lock.timer.isActive()


def test_another_user_unlocking_never_sees_the_form_and_is_told_it_was_closed(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    window, patient = _patient_with_chart_open(qtbot, nurse_ctx)
    chart = window.chart
    assert chart is not None
    dialogs: list[PatientDialog] = []

    def while_editing(dialog: PatientDialog) -> None:
        dialogs.append(dialog)
        _type_phone(qtbot, dialog)
        qtbot.keyClick(dialog.form.phone_input, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
        assert _is_locked(window)  # Ctrl+L reaches past the modal form
        assert readable(TYPED_PHONE) == []
        _sign_in(qtbot, window, "drpark")

    answer_modal(PatientDialog, while_editing)
    qtbot.mouseClick(chart.edit_button, CLICK)
    assert dialogs
    assert not dialogs[0].isVisible()
    assert window.ctx.actor.username == "drpark"
    assert window.chart is None  # fresh views for the new user
    assert readable(TYPED_PHONE) == []
    assert readable("O'Brien") == []
    assert (
        window.statusBar()
        .currentMessage()
        .endswith("Nina Nurse's open form was closed without saving.")
    )
    assert get_patient(nurse_ctx, patient.id).phone == "+1 555 010 2000"


def test_cancelling_the_sign_in_leaves_the_form_covered_with_a_way_back(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    window, _patient = _patient_with_chart_open(qtbot, nurse_ctx)
    chart = window.chart
    assert chart is not None

    def while_editing(dialog: PatientDialog) -> None:
        _type_phone(qtbot, dialog)
        window.idle_lock.time_out_now()
        unlock = window.unlock_dialog
        assert unlock is not None
        unlock.reject()
        assert _is_locked(window)
        assert readable(TYPED_PHONE) == []
        curtain_buttons = [
            b
            for b in dialog.findChildren(QAbstractButton)
            if b.isVisible() and "Unlock" in b.text()
        ]
        assert len(curtain_buttons) == 1
        qtbot.mouseClick(curtain_buttons[0], CLICK)
        assert window.unlock_dialog is not None
        _sign_in(qtbot, window, "nina")
        assert dialog.form.phone_input.text() == TYPED_PHONE
        dialog.reject()

    answer_modal(PatientDialog, while_editing)
    qtbot.mouseClick(chart.edit_button, CLICK)
    assert not _is_locked(window)
