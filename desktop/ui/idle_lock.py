"""Locking the screen: noticing that nobody has touched the keyboard or mouse for the clinic's
idle minutes (`IdleLock`), and hiding every open window while locked (`CoveredWindows`).

A dialog waiting in `exec()` must not be hidden: hiding it ends its event loop, and the
form would be lost for the same user too. So each open window keeps running, with its
contents hidden behind a curtain and its title replaced, until it is uncovered (the same
user is back) or discarded (someone else signed in).
"""

import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QInputEvent, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QPushButton,
    QToolTip,
    QVBoxLayout,
    QWidget,
)

MS_PER_MINUTE = 60_000
LOCK_KEYS = QKeySequence("Ctrl+L")
LOCKED_TITLE = "IsoTrack — locked"
CURTAIN_TEXT = "IsoTrack is locked. This window's contents are hidden until you sign in again."


class IdleLock(QObject):
    """Emits `idle_timed_out` once `minutes` pass with no key, click, wheel or mouse move in
    any window of the application; `lock_requested` when Ctrl+L is pressed in a dialog
    (the main window's own shortcut cannot reach past a modal dialog).

    The application's event filter only notes the time of the last input; the timer then
    checks, when it fires, whether the full idle time has passed (restarting a timer on every
    mouse move would cost far more). `clock` (seconds, monotonic) is injectable for tests,
    which drive the check with `timer.timeout.emit()` or skip it with `time_out_now()`."""

    idle_timed_out = Signal()
    lock_requested = Signal()

    def __init__(
        self,
        minutes: int,
        parent: QObject | None = None,
        *,
        clock: Callable[[], float] = time.monotonic,
        watching: bool = True,
    ) -> None:
        super().__init__(parent)
        self._clock = clock
        self._idle_ms = minutes * MS_PER_MINUTE
        self._last_input = clock()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self._on_timer_timeout)
        if watching:
            self.watch_input()

    def watch_input(self) -> None:
        """Install the application's event filter (again is harmless). The first event it
        sees costs ~50 ms once per process, as PySide6 then builds every Qt enum type: a
        window can pass `watching=False` and call this after its first paint."""
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    @property
    def idle_ms(self) -> int:
        return self._idle_ms

    def set_minutes(self, minutes: int) -> None:
        self._idle_ms = minutes * MS_PER_MINUTE
        if self.timer.isActive():
            self.start()

    def start(self) -> None:
        """Count from now (after signing in or unlocking)."""
        self._last_input = self._clock()
        self.timer.start(self._idle_ms)

    def stop(self) -> None:
        """While locked there is nothing to time."""
        self.timer.stop()

    def time_out_now(self) -> None:
        """As if the idle minutes had just passed (tests, and a future "lock now" button)."""
        self.timer.stop()
        self.idle_timed_out.emit()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """Every event of the application passes here, so it stays cheap: one isinstance
        (asking `event.type()` builds a Python enum, which cost ~5 µs per event)."""
        if isinstance(event, QInputEvent):  # keys, mouse, wheel, touch, tablet
            self._last_input = self._clock()
            if isinstance(event, QKeyEvent) and self._is_lock_key_in_dialog(event):
                self.lock_requested.emit()
                return True
        return False

    def _is_lock_key_in_dialog(self, event: QKeyEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or QApplication.activeModalWidget() is None:
            return False
        pressed = QKeySequence(event.keyCombination())
        return pressed.matches(LOCK_KEYS) == QKeySequence.SequenceMatch.ExactMatch

    def _on_timer_timeout(self) -> None:
        idle_ms = int((self._clock() - self._last_input) * 1000)
        if idle_ms >= self._idle_ms:
            self.idle_timed_out.emit()
        else:
            self.timer.start(self._idle_ms - idle_ms)


class _Curtain(QWidget):
    """Fills its window while locked, with a way to unlock."""

    def __init__(self, window: QWidget, on_unlock: Callable[[], None]) -> None:
        super().__init__(window)
        self.setObjectName("lockCurtain")
        self.setAutoFillBackground(True)
        text = QLabel(CURTAIN_TEXT)
        text.setObjectName("emptyState")
        text.setWordWrap(True)
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton("&Unlock or switch user…")
        self.unlock_button.clicked.connect(on_unlock)
        layout = QVBoxLayout(self)
        layout.addSpacing(24)  # near the top: the sign-in dialog opens over the middle
        layout.addWidget(text)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        self.setGeometry(window.rect())
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Resize and isinstance(watched, QWidget):
            self.setGeometry(watched.rect())
        return False


@dataclass
class _Covered:
    window: QWidget
    title: str
    hidden: list[QWidget]
    focus: QWidget | None
    curtain: _Curtain


class CoveredWindows:
    """Every visible window but the main one (and the sign-in dialog) with its contents
    hidden. `uncover()` puts each back as it was, typed values and focus included;
    `discard()` closes them unsaved (for another user)."""

    def __init__(self, keep: tuple[QWidget, ...], on_unlock: Callable[[], None]) -> None:
        _close_popups()
        self._front = QApplication.activeModalWidget() or QApplication.activeWindow()
        self._covered = [
            _cover(window, on_unlock)
            for window in QApplication.topLevelWidgets()
            if window.isVisible() and window not in keep and not _is_popup(window)
        ]

    def __len__(self) -> int:
        return len(self._covered)

    def has_forms(self) -> bool:
        """Whether any covered window is a dialog (a form that may hold unsaved values)."""
        return any(isinstance(c.window, QDialog) for c in self._covered)

    def uncover(self) -> None:
        """Put each window back; the one in front before the lock is raised and takes the
        keyboard again."""
        for covered in self._covered:
            covered.window.removeEventFilter(covered.curtain)
            covered.curtain.hide()
            covered.curtain.deleteLater()
            for child in covered.hidden:
                child.show()
            covered.window.setWindowTitle(covered.title)
            if covered.focus is not None:
                covered.focus.setFocus()
        front = self._front
        if front is not None and any(c.window is front for c in self._covered):
            front.raise_()
            front.activateWindow()
        self._covered = []

    def discard(self) -> None:
        """Close every covered window without saving (each waiting `exec()` returns
        Rejected once the sign-in's handler is done)."""
        for covered in self._covered:
            window = covered.window
            if isinstance(window, QDialog):
                window.reject()
            else:
                window.close()
        self._covered = []


def _cover(window: QWidget, on_unlock: Callable[[], None]) -> _Covered:
    title, focus = window.windowTitle(), window.focusWidget()
    size = window.size()
    hidden = [
        child
        for child in window.findChildren(QWidget, options=Qt.FindChildOption.FindDirectChildrenOnly)
        if not child.isWindow() and child.isVisibleTo(window)
    ]
    for child in hidden:
        child.hide()
    window.setWindowTitle(LOCKED_TITLE)
    curtain = _Curtain(window, on_unlock)
    curtain.show()
    curtain.raise_()
    window.resize(size)
    return _Covered(window, title, hidden, focus, curtain)


def _is_popup(window: QWidget) -> bool:
    return window.windowType() in (Qt.WindowType.Popup, Qt.WindowType.ToolTip)


def _close_popups() -> None:
    """Menus, completer lists and tooltips may show names: closed, not covered."""
    QToolTip.hideText()
    for _ in range(10):
        popup = QApplication.activePopupWidget()
        if popup is None:
            break
        popup.close()
