"""Starting the app: the smoke run, a database that is not ready, sign-in to the main window,
and the composition root's choice between the app and the command line."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

import argparse
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop import cli
from desktop import main as composition_root
from desktop.services.clinic_setup import needs_setup
from desktop.services.context import Context, open_clinic
from desktop.services.errors import DatabaseNotReady
from desktop.ui import app, messages
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
    assert QApplication.font().family() == "DejaVu Sans"
    assert "QLabel#error" in QApplication.instance().styleSheet()  # type: ignore[union-attr]
    clinic = open_clinic(url)
    assert needs_setup(clinic)
    clinic.close()


def test_a_database_that_is_not_ready_is_explained_and_the_app_exits(
    qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[str] = []

    def refuse(_url: str) -> None:
        raise DatabaseNotReady("The shared clinic database needs an upgrade.")

    monkeypatch.setattr(app, "open_clinic", refuse)
    monkeypatch.setattr(messages, "show_error", lambda _p, error: shown.append(str(error)))
    assert app.run("sqlite:///unused.db") == DatabaseNotReady.exit_status
    assert shown == ["The shared clinic database needs an upgrade."]


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
