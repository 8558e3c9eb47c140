"""A small read-only table that is exactly as tall as its rows, for panels that scroll as a
whole rather than table by table."""

from PySide6.QtCore import QAbstractItemModel, Qt
from PySide6.QtGui import QResizeEvent, QShowEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSizePolicy, QTableView, QWidget

MAX_VISIBLE_ROWS = 8
"""Longer lists scroll inside the table, so a long course does not push the rest away."""


class FactTable(QTableView):
    def __init__(self, model: QAbstractItemModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setTabKeyNavigation(False)
        self.setWordWrap(True)
        self.setAlternatingRowColors(True)
        self.verticalHeader().hide()
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self._rows_fitted = False
        model.modelReset.connect(self._fit_rows)
        # A narrow tab needs the horizontal bar: make room for it rather than hide a row.
        self.horizontalScrollBar().rangeChanged.connect(self._fit_rows)

    def showEvent(self, event: QShowEvent) -> None:
        """Measured once shown, in the window's style: measuring a table before it has its
        place in the window styles it twice (a third of the iPLEDGE tab's first build)."""
        super().showEvent(event)
        if not self._rows_fitted:
            self._fit_rows()

    def resizeEvent(self, event: QResizeEvent) -> None:
        """Wrapped text takes more lines in a narrower table."""
        super().resizeEvent(event)
        if event.size().width() != event.oldSize().width():
            self._fit_rows()

    def _fit_rows(self, *_range: int) -> None:
        if not self.isVisible():
            self._rows_fitted = False
            return
        self._rows_fitted = True
        self.resizeRowsToContents()
        rows = min(self.model().rowCount(), MAX_VISIBLE_ROWS)
        height = self.horizontalHeader().sizeHint().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(row) for row in range(rows))
        if self.model().rowCount() == 0:
            height += self.verticalHeader().defaultSectionSize()
        if self.horizontalScrollBar().maximum() > 0:
            height += self.horizontalScrollBar().sizeHint().height()
        self.setFixedHeight(height)
