"""Starting the app: the smoke run, a database that is not ready, sign-in to the main window,
and the composition root's choice between the app and the command line."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

import argparse
import logging
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QFontDatabase, QFontInfo
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from db.engine import create_clinic_engine
from db.migrate import schema_state
from desktop import cli
from desktop import main as composition_root
from desktop.services.clinic_setup import needs_setup
from desktop.services.context import Context, open_clinic
from desktop.services.errors import DatabaseNotReady
from desktop.ui import app, tasks
from desktop.ui.login.login_dialog import LoginDialog
from desktop.ui.login.setup_dialog import SetupDialog
from desktop.ui.main_window import MainWindow
from tests.conftest import PASSWORD
from tests.ui.keyboard import answer_modal


def test_smoke_run_creates_the_database_and_offers_the_first_start(
    qtbot: QtBot, tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'new-clinic.db'}"
    shown = answer_modal(SetupDialog, lambda _dialog: None)
    assert app.run(url, quit_after_ms=300) == 0
    assert shown
    assert QFontInfo(QApplication.font()).family() == "DejaVu Sans"  # the face Qt resolved
    assert "QLabel#error" in QApplication.instance().styleSheet()  # type: ignore[union-attr]
    clinic = open_clinic(url)
    assert needs_setup(clinic)
    clinic.close()


def test_quitting_waits_for_a_write_still_running_in_the_background(
    qtbot: QtBot, tmp_path: Path
) -> None:
    """A save or audit started just before the app quits is finished before the database is
    closed and the process ends, not cut off."""
    tasks.use_runner(None)  # the real thread pool: the other UI tests run tasks inline
    written: list[str] = []

    def slow_write() -> None:
        time.sleep(0.5)
        written.append("audited")

    def start_a_write(dialog: SetupDialog) -> None:
        tasks.run_task(dialog, slow_write, lambda _none: None, lambda _error: None)

    answer_modal(SetupDialog, start_a_write)
    assert app.run(f"sqlite:///{tmp_path / 'clinic.db'}", quit_after_ms=300) == 0
    assert written == ["audited"]


def test_the_bundled_fonts_are_read_from_their_files(qtbot: QtBot) -> None:
    """Qt reads each bundled file and finds the family in it: the app's font comes from
    resources/fonts, whatever this machine has installed."""
    loaded = app.load_bundled_fonts()
    assert loaded == {
        "regular": ("DejaVu Sans",),
        "bold": ("DejaVu Sans",),
        "italic": ("DejaVu Sans",),
        "bold_italic": ("DejaVu Sans",),
        "fallback": ("Droid Sans Fallback",),
    }
    assert {"DejaVu Sans", "Droid Sans Fallback"} <= set(QFontDatabase.families())
    assert {"Book", "Bold", "Oblique", "Bold Oblique"} <= set(QFontDatabase.styles("DejaVu Sans"))


def test_a_font_file_that_will_not_load_is_reported(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    broken = tmp_path / "broken.ttf"
    broken.write_bytes(b"this is not a font")
    bundled = app.font_file
    monkeypatch.setattr(app, "font_file", lambda _face: str(broken))
    with caplog.at_level(logging.WARNING, logger=app.__name__):
        app.application()
    assert "Could not load the bundled regular font (DejaVuSans.ttf)" in caplog.text
    assert "Could not load the bundled bold font (DejaVuSans-Bold.ttf)" in caplog.text
    assert "DejaVu Sans is not available: names may be drawn in another font" in caplog.text
    monkeypatch.setattr(app, "font_file", bundled)
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger=app.__name__):
        app.application()
    assert caplog.text == ""


def test_a_database_from_a_newer_isotrack_is_refused_with_a_message(
    qtbot: QtBot, database_url: str
) -> None:
    """A real file stamped with a revision this IsoTrack does not know: the message box says
    what to do, the app exits, and the file keeps its stamp."""
    engine = create_clinic_engine(database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '0099'")
    engine.dispose()
    said: list[str] = []

    def read(box: QMessageBox) -> None:
        said.append(box.text())
        box.accept()

    answer_modal(QMessageBox, read)
    assert app.run(database_url) == DatabaseNotReady.exit_status
    assert said == [
        "This database was last used by a newer IsoTrack (schema 0099). "
        "Install the newer IsoTrack on this workstation; nothing was changed."
    ]
    engine = create_clinic_engine(database_url)
    assert schema_state(engine).current == "0099"
    engine.dispose()


def test_signing_in_opens_the_main_window(
    qtbot: QtBot, nurse_ctx: Context, database_url: str
) -> None:
    titles: list[str] = []

    def close_main_window() -> None:
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, MainWindow) and widget.isVisible():
                titles.append(widget.windowTitle())
                widget.close()

    def sign_in(dialog: LoginDialog) -> None:
        qtbot.keyClicks(dialog.username_input, "nina")
        qtbot.keyClicks(dialog.password_input, PASSWORD)
        qtbot.mouseClick(dialog.sign_in_button, Qt.MouseButton.LeftButton)
        QTimer.singleShot(50, close_main_window)

    answer_modal(LoginDialog, sign_in)
    assert app.run(database_url) == 0
    assert titles == ["IsoTrack — Riverside Dermatology — Nina Nurse (Nurse)"]


def test_no_command_opens_the_app_on_the_given_database(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    opened: list[str] = []

    def run_app(url: str) -> int:
        opened.append(url)
        return 0

    monkeypatch.setattr(app, "run", run_app)
    assert composition_root.main(["--db", "sqlite:////tmp/x.db"]) == 0
    assert opened == ["sqlite:////tmp/x.db"]


def test_a_command_goes_to_the_command_line(monkeypatch: pytest.MonkeyPatch) -> None:
    commands: list[str] = []

    def run_command(args: argparse.Namespace) -> int:
        commands.append(args.command)
        return 0

    monkeypatch.setattr(cli, "run", run_command)
    assert composition_root.main(["audit", "verify"]) == 0
    assert commands == ["audit"]
