"""Windows that size themselves to the screen leave the screen alone when they go.

Asking `QWidget.screen()` from Python made the widget own the QScreen (PySide6 6.11): once
a closed patient dialog was collected the screen was deleted, and the next window crashed
the application. CI caught it as a segmentation fault in an unrelated test."""

import gc
import re
from pathlib import Path

import shiboken6
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.ui.main_window import MainWindow
from desktop.ui.patients.patient_dialog import PatientDialog

UI_SOURCES = Path(__file__).parents[2] / "desktop" / "ui"


def _open_and_let_go(qtbot: QtBot, window: QWidget) -> None:
    """Shown, closed and dropped: Python's collector deletes it, as after a real dialog."""
    window.show()
    qtbot.waitExposed(window)
    window.close()


def test_closed_windows_leave_the_screen_alive(qtbot: QtBot, nurse_ctx: Context) -> None:
    screen = QGuiApplication.primaryScreen()
    _open_and_let_go(qtbot, PatientDialog(nurse_ctx))
    _open_and_let_go(qtbot, MainWindow(nurse_ctx))
    gc.collect()
    assert shiboken6.isValid(screen)
    assert QGuiApplication.primaryScreen() is not None
    fresh = QWidget()
    qtbot.addWidget(fresh)
    fresh.show()
    assert fresh.isVisible()


def test_no_widget_asks_qwidget_screen_directly() -> None:
    """`desktop.ui.screens` is the one way in; a `.screen()` call would bring the crash back."""
    offenders = [
        f"{path.relative_to(UI_SOURCES)}:{number}"
        for path in UI_SOURCES.rglob("*.py")
        if path.name != "screens.py"
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\.screen\(\)", line)
    ]
    assert offenders == []
