"""The screen a window is on, asked without `QWidget.screen()`.

PySide6 6.11 makes the widget the Python "parent" of the QScreen that `QWidget.screen()`
returns, so when that widget's wrapper is collected it deletes the screen itself: the next
widget to ask for its font or size crashes the application (a closed patient dialog was
enough). `QGuiApplication.screenAt` and `primaryScreen` hand out the screen without that
ownership, so the screen lives as long as Qt says it does.
"""

from PySide6.QtCore import QRect
from PySide6.QtGui import QGuiApplication, QScreen
from PySide6.QtWidgets import QWidget


def screen_of(widget: QWidget) -> QScreen | None:
    """The screen under the middle of `widget`'s window, else the primary screen."""
    middle = widget.window().frameGeometry().center()
    return QGuiApplication.screenAt(middle) or QGuiApplication.primaryScreen()


def available_geometry(widget: QWidget) -> QRect | None:
    """The part of `widget`'s screen that windows may use (no task bars), if any screen."""
    screen = screen_of(widget)
    return screen.availableGeometry() if screen is not None else None
