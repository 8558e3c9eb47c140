"""A page built the first time it is shown or asked for, so that a window opens without
paying for pages nobody has opened yet (issue 4: sign-in to a painted worklist)."""

from collections.abc import Callable
from typing import Generic, TypeVar

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import QVBoxLayout, QWidget

W = TypeVar("W", bound=QWidget)


class LazyPage(QWidget, Generic[W]):
    """Holds `build()`'s widget once built, filling the page and taking its focus. Being
    a child of the page, the content is hidden whenever the page or its window is, as if it
    had been there from the start."""

    def __init__(self, build: Callable[[], W], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._build = build
        self._content: W | None = None
        self._layout = QVBoxLayout(self)
        self._layout.setContentsMargins(0, 0, 0, 0)

    @property
    def is_built(self) -> bool:
        return self._content is not None

    def content(self) -> W:
        """The page's widget, built now if this is the first time anything needs it."""
        if self._content is None:
            self._content = self._build()
            self._layout.addWidget(self._content)
            self.setFocusProxy(self._content)
            if self.isVisible():  # a layout shows a new child only on a later turn
                self._content.show()
        return self._content

    def showEvent(self, event: QShowEvent) -> None:
        self.content()
        super().showEvent(event)
