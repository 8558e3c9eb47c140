"""Typing and answering dialogs the way a nurse does, within what Qt's test driver allows."""

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QWidget

W = TypeVar("W", bound=QWidget)
MAX_POLLS = 500  # 5 s: then the test fails on its own asserts rather than hanging


def type_text(widget: QWidget, text: str) -> None:
    """Type any text, accents included. qtbot.keyClicks aborts the whole run on non-ASCII
    characters (TECH-NOTES §5), so each character goes in as its own key event."""
    for character in text:
        QTest.sendKeyEvent(
            QTest.KeyAction.Click,
            widget,
            Qt.Key.Key_unknown,
            character,
            Qt.KeyboardModifier.NoModifier,
        )


def answer_modal(kind: type[W], answer: Callable[[W], None]) -> list[W]:
    """Before an action opens a modal dialog of `kind` with exec(), arrange for `answer`
    to fill it in once it is showing. The returned list receives the dialog, so the test
    can assert on it after exec() has returned."""
    seen: list[W] = []
    attempts = iter(range(MAX_POLLS))

    def poll() -> None:
        dialog = QApplication.activeModalWidget()
        if isinstance(dialog, kind) and dialog.isVisible():
            seen.append(dialog)
            try:
                answer(dialog)
            except BaseException:
                # A failed check inside the answer would leave exec() waiting for ever:
                # close the dialog so the test ends and pytest-qt reports the error.
                if dialog.isVisible():
                    dialog.close()
                raise
        elif next(attempts, None) is not None:
            QTimer.singleShot(10, poll)

    QTimer.singleShot(0, poll)
    return seen
