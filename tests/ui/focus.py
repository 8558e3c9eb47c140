"""Where Tab goes next, as Qt decides it: the next widget in the focus chain that takes
focus by Tab, is shown and is enabled."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

MAX_STEPS = 1000


def _takes_tab(widget: QWidget) -> bool:
    takes_tab = widget.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
    return bool(takes_tab) and widget.isVisible() and widget.isEnabled()


def next_tab_stop(widget: QWidget) -> QWidget:
    candidate = widget.nextInFocusChain()
    for _ in range(MAX_STEPS):
        if candidate is None:
            break
        if _takes_tab(candidate):
            return candidate
        candidate = candidate.nextInFocusChain()
    raise AssertionError("no widget takes focus by Tab")
