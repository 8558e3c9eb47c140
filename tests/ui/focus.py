"""Where Tab goes next, as Qt decides it: the next widget in the focus chain that takes
focus by Tab, is shown and is enabled."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget

MAX_STEPS = 1000


def next_tab_stop(widget: QWidget) -> QWidget:
    candidate = widget.nextInFocusChain()
    for _ in range(MAX_STEPS):
        takes_tab = candidate.focusPolicy().value & Qt.FocusPolicy.TabFocus.value
        if takes_tab and candidate.isVisible() and candidate.isEnabled():
            return candidate
        candidate = candidate.nextInFocusChain()
    raise AssertionError("no widget takes focus by Tab")
