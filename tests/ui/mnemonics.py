"""The Alt-key mnemonics a window offers at one moment: the '&' letters of the labels (with a
buddy), buttons, group boxes, tabs and menu titles that are shown together. Two of them on
the same letter make Alt+letter ambiguous: Qt then cycles between them or does nothing."""

from collections import defaultdict

from PySide6.QtWidgets import QAbstractButton, QGroupBox, QLabel, QMenuBar, QTabBar, QWidget


def mnemonic(text: str) -> str | None:
    """The letter after a single '&' ('&&' is a literal ampersand), upper-cased."""
    position = 0
    while position < len(text) - 1:
        if text[position] == "&":
            if text[position + 1] != "&":
                return text[position + 1].upper()
            position += 1
        position += 1
    return None


def _texts(widget: QWidget) -> list[str]:
    if isinstance(widget, QAbstractButton):
        return [widget.text()]
    if isinstance(widget, QLabel):
        return [widget.text()] if widget.buddy() is not None else []
    if isinstance(widget, QGroupBox):
        return [widget.title()]
    if isinstance(widget, QTabBar):
        return [widget.tabText(i) for i in range(widget.count()) if widget.isTabVisible(i)]
    if isinstance(widget, QMenuBar):
        return [action.text() for action in widget.actions() if action.isVisible()]
    return []


def shown_mnemonics(window: QWidget) -> dict[str, list[str]]:
    """Letter → the texts that claim it, among the widgets shown in `window` (whether
    enabled or not: a disabled button is enabled again by the next course or answer)."""
    found: dict[str, list[str]] = defaultdict(list)
    for widget in (window, *window.findChildren(QWidget)):
        if widget is not window and not widget.isVisibleTo(window):
            continue
        for text in _texts(widget):
            if (letter := mnemonic(text)) is not None:
                found[letter].append(text.replace("&", ""))
    return dict(found)


def clashes(window: QWidget) -> dict[str, list[str]]:
    """The letters claimed more than once, with the texts that claim them."""
    return {letter: texts for letter, texts in shown_mnemonics(window).items() if len(texts) > 1}
