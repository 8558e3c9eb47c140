"""How a read-only table of records behaves everywhere in IsoTrack."""

from PySide6.QtCore import QAbstractItemModel
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView


def set_up_record_table(
    table: QTableView, model: QAbstractItemModel, *, stretch_column: int | None = None
) -> None:
    """Whole rows selected, nothing edited in place, wrapped text, columns as wide as their
    contents with one (the last unless `stretch_column`) taking the spare width. Tab leaves
    the table rather than walking its cells, so the buttons beside it stay one key away."""
    table.setModel(model)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setTabKeyNavigation(False)
    table.setWordWrap(True)
    table.verticalHeader().hide()
    header = table.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    if stretch_column is None:
        header.setStretchLastSection(True)
    else:
        header.setSectionResizeMode(stretch_column, QHeaderView.ResizeMode.Stretch)
