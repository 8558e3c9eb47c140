"""Clinic settings: an administrator edits the letterhead, logo, time zone, iPLEDGE date and
idle lock; problems are shown beside their fields; nurses are never offered the dialog."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.services.clinic_logo import get_clinic_logo
from desktop.services.clinic_setup import (
    ClinicSettingsDraft,
    get_clinic_settings,
    update_clinic_settings,
)
from desktop.services.context import Context
from desktop.ui.main_window import MainWindow
from desktop.ui.settings import logo_panel
from desktop.ui.settings.clinic_settings_dialog import (
    IPLEDGE_NOTE,
    MINUTES_PROBLEM,
    ClinicSettingsDialog,
)
from desktop.ui.settings.logo_panel import NO_LOGO
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import answer_modal

CLICK = Qt.MouseButton.LeftButton


def _dialog(qtbot: QtBot, ctx: Context) -> ClinicSettingsDialog:
    dialog = ClinicSettingsDialog(ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _retype(qtbot: QtBot, field: object, text: str) -> None:
    field.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(field, text)


def _problem(dialog: ClinicSettingsDialog, field: str) -> str:
    return dialog.problems.problem_label(field).text()


@pytest.fixture
def logo_file(tmp_path: Path) -> Path:
    image = QImage(120, 40, QImage.Format.Format_RGB32)
    image.fill(QColor("#0f766e"))
    path = tmp_path / "logo.png"
    assert image.save(str(path))  # PNG, from the file name
    return path


def test_an_administrator_edits_every_setting(
    qtbot: QtBot, admin_ctx: Context, screenshot: Screenshot
) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    assert dialog.clinic_name_input.text() == "Riverside Dermatology"
    assert dialog.time_zone_input.currentText() == "America/New_York"
    assert dialog.idle_minutes_input.text() == "10"
    assert IPLEDGE_NOTE.startswith("iPLEDGE has not fixed a go-live date")
    _retype(qtbot, dialog.clinic_name_input, "Riverside Skin Clinic")
    qtbot.keyClicks(dialog.address_input, "12 River Road")
    qtbot.keyClick(dialog.address_input, Qt.Key.Key_Return)
    qtbot.keyClicks(dialog.address_input, "Springfield, IL 62701")
    _retype(qtbot, dialog.phone_input, "+1 217 555 0100")
    dialog.time_zone_input.setFocus()
    zone_text = dialog.time_zone_input.lineEdit()
    assert zone_text is not None
    zone_text.selectAll()
    qtbot.keyClicks(dialog.time_zone_input, "America/Chicago")
    _retype(qtbot, dialog.ipledge_date_input, "2026-12-01")
    _retype(qtbot, dialog.idle_minutes_input, "5")
    screenshot(dialog, "settings-dialog")
    qtbot.mouseClick(dialog.save_button, CLICK)
    saved = dialog.result_record
    assert saved is not None
    assert (saved.clinic_name, saved.address, saved.phone) == (
        "Riverside Skin Clinic",
        "12 River Road\nSpringfield, IL 62701",
        "+1 217 555 0100",
    )
    assert saved.time_zone == "America/Chicago"
    assert saved.ipledge_2026_effective_on == date(2026, 12, 1)
    assert saved.idle_lock_minutes == 5
    assert get_clinic_settings(admin_ctx) == saved


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("idle_minutes_input", "0", "Lock after 1 to 120 minutes idle."),
        ("idle_minutes_input", "121", "Lock after 1 to 120 minutes idle."),
        ("idle_minutes_input", "ten", MINUTES_PROBLEM),
        ("idle_minutes_input", "7,5", MINUTES_PROBLEM),
        ("idle_minutes_input", "-3", MINUTES_PROBLEM),
        ("idle_minutes_input", "", MINUTES_PROBLEM),
        ("ipledge_date_input", "2026-02-30", "There is no such date: check the day and month."),
        ("ipledge_date_input", "", "Enter the date the 2026 iPLEDGE changes take effect"),
        ("clinic_name_input", "   ", "Enter the clinic's name (it heads every printout)."),
    ],
)
def test_a_refused_value_is_explained_beside_its_field(
    qtbot: QtBot, admin_ctx: Context, field: str, typed: str, message: str
) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    widget = getattr(dialog, field)
    _retype(qtbot, widget, typed)
    qtbot.keyClick(widget, Qt.Key.Key_Return)  # Enter saves
    assert dialog.result_record is None
    assert dialog.isVisible()
    problem_field = {
        "idle_minutes_input": "idle_lock_minutes",
        "ipledge_date_input": "ipledge_2026_effective_on",
        "clinic_name_input": "clinic_name",
    }[field]
    assert _problem(dialog, problem_field).startswith(message)
    assert dialog.focusWidget() is widget
    assert get_clinic_settings(admin_ctx).version == 1


def test_an_unknown_time_zone_is_refused(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    dialog.time_zone_input.setCurrentText("Mars/Olympus")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert _problem(dialog, "time_zone") == "Choose a time zone such as America/Chicago."


def test_a_save_over_another_administrators_change_is_refused_with_who(
    qtbot: QtBot, admin_ctx: Context
) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    settings = get_clinic_settings(admin_ctx)
    other = ClinicSettingsDraft(
        "Other name", "", "", settings.time_zone, settings.ipledge_2026_effective_on, 10
    )
    update_clinic_settings(admin_ctx, other, settings.version)
    _retype(qtbot, dialog.phone_input, "555 000 1111")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.result_record is None
    assert dialog.error_label.text().startswith(
        "These clinic settings were changed by Ada Admin at 2026-11-20 10:30 EST"
    )
    assert get_clinic_settings(admin_ctx).phone == ""


def test_a_logo_is_chosen_previewed_saved_and_removed(
    qtbot: QtBot,
    admin_ctx: Context,
    logo_file: Path,
    monkeypatch: pytest.MonkeyPatch,
    screenshot: Screenshot,
) -> None:
    monkeypatch.setattr(logo_panel, "ask_png_path", lambda _parent: str(logo_file))
    dialog = _dialog(qtbot, admin_ctx)
    logo = dialog.logo_input
    assert logo.preview_label.text() == NO_LOGO
    assert not logo.remove_button.isEnabled()
    qtbot.mouseClick(logo.choose_button, CLICK)
    preview = logo.preview_label.pixmap()
    assert not preview.isNull()
    assert (preview.width(), preview.height()) == (240, 80)  # scaled to fit, shape kept
    assert logo.remove_button.isEnabled()
    screenshot(dialog, "settings-dialog-logo")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.result_record is not None
    assert dialog.result_record.has_logo
    assert get_clinic_logo(admin_ctx) == logo_file.read_bytes()

    again = _dialog(qtbot, admin_ctx)
    assert not again.logo_input.preview_label.pixmap().isNull()
    qtbot.mouseClick(again.logo_input.remove_button, CLICK)
    assert again.logo_input.preview_label.text() == NO_LOGO
    qtbot.mouseClick(again.save_button, CLICK)
    assert again.result_record is not None
    assert not again.result_record.has_logo
    assert get_clinic_logo(admin_ctx) is None


def test_a_file_that_is_not_a_png_is_refused_beside_the_logo(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fake = tmp_path / "logo.png"
    fake.write_bytes(b"GIF89a not really a png")
    monkeypatch.setattr(logo_panel, "ask_png_path", lambda _parent: str(fake))
    dialog = _dialog(qtbot, admin_ctx)
    qtbot.mouseClick(dialog.logo_input.choose_button, CLICK)
    assert _problem(dialog, "logo") == "This file is not a PNG image; choose a .png file."
    assert dialog.logo_input.png is None


def test_tab_goes_through_the_form_in_order(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = _dialog(qtbot, admin_ctx)
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    dialog.logo_input.remove_button.setEnabled(True)  # as with a logo, to walk every stop
    expected = [
        dialog.address_input,
        dialog.phone_input,
        dialog.logo_input.choose_button,
        dialog.logo_input.remove_button,
        dialog.time_zone_input,
        dialog.ipledge_date_input,
        dialog.idle_minutes_input,
        dialog.save_button,
    ]
    dialog.clinic_name_input.setFocus()
    for wanted in expected:
        focused = QApplication.focusWidget()
        assert focused is not None
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
        assert QApplication.focusWidget() is wanted


def test_only_administrators_find_clinic_settings_in_the_menu(
    qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context
) -> None:
    nurse_window = MainWindow(nurse_ctx)
    qtbot.addWidget(nurse_window)
    assert not nurse_window.settings_action.isVisible()
    window = MainWindow(admin_ctx)
    qtbot.addWidget(window)
    window.show()
    assert window.settings_action.isVisible()

    def rename(dialog: ClinicSettingsDialog) -> None:
        _retype(qtbot, dialog.clinic_name_input, "Riverside Skin Clinic")
        qtbot.keyClick(dialog.clinic_name_input, Qt.Key.Key_Return)

    answer_modal(ClinicSettingsDialog, rename)
    window.settings_action.trigger()
    assert window.windowTitle() == "IsoTrack — Riverside Skin Clinic — Ada Admin (Administrator)"


def test_idle_minutes_pasted_with_thousands_of_leading_zeros_save_as_the_number(
    qtbot: QtBot, admin_ctx: Context
) -> None:
    """Found by the form fuzz: zeros in front made a number too long for int() to read."""
    dialog = _dialog(qtbot, admin_ctx)
    dialog.idle_minutes_input.setText("0" * 4400 + "15")
    qtbot.mouseClick(dialog.save_button, CLICK)
    saved = dialog.result_record
    assert saved is not None
    assert saved.idle_lock_minutes == 15
