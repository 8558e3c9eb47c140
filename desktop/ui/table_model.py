"""A read-only table of immutable records, described by a tuple of columns."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

R = TypeVar("R")
AnyIndex = QModelIndex | QPersistentModelIndex
_NO_INDEX = QModelIndex()
_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter


@dataclass(frozen=True)
class Column(Generic[R]):
    """One column: its header, the text shown for a record, and how it sorts (by the shown
    text unless `sort_key` says otherwise, e.g. a date rather than its spelling)."""

    header: str
    text: Callable[[R], str]
    sort_key: Callable[[R], Any] | None = None
    align: Qt.AlignmentFlag = _LEFT
    tooltip: Callable[[R], str] | None = None

    def key(self, record: R) -> Any:
        return (self.sort_key or self.text)(record)


class RecordTableModel(QAbstractTableModel, Generic[R]):
    """Formats records for a view and sorts them in memory; it never fetches anything."""

    def __init__(self, columns: Sequence[Column[R]]) -> None:
        super().__init__()
        self._columns = tuple(columns)
        self._records: tuple[R, ...] = ()
        self._sort: tuple[int, Qt.SortOrder] | None = None

    def set_records(self, records: Sequence[R]) -> None:
        self.beginResetModel()
        self._records = self._sorted(tuple(records))
        self.endResetModel()

    def record_at(self, row: int) -> R:
        return self._records[row]

    def records(self) -> tuple[R, ...]:
        return self._records

    def rowCount(self, parent: AnyIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: AnyIndex = _NO_INDEX) -> int:
        return 0 if parent.isValid() else len(self._columns)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self._records):
            return None
        column = self._columns[index.column()]
        record = self._records[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            return column.text(record)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return column.align
        if role == Qt.ItemDataRole.ToolTipRole and column.tooltip is not None:
            return column.tooltip(record)
        return None

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        is_column_title = orientation == Qt.Orientation.Horizontal
        if is_column_title and role == Qt.ItemDataRole.DisplayRole:
            return self._columns[section].header
        return None

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        """Called by the view when a header is clicked; the order is kept for new records.
        Selected rows stay selected: persistent indexes follow their records."""
        self.layoutAboutToBeChanged.emit()
        self._sort = (column, order)
        rows = self._sorted_rows(self._records)
        new_row = {old: new for new, old in enumerate(rows)}
        before = self.persistentIndexList()
        self._records = tuple(self._records[old] for old in rows)
        after = [self.index(new_row[i.row()], i.column()) for i in before]
        self.changePersistentIndexList(before, after)
        self.layoutChanged.emit()

    def _sorted(self, records: tuple[R, ...]) -> tuple[R, ...]:
        return tuple(records[row] for row in self._sorted_rows(records))

    def _sorted_rows(self, records: tuple[R, ...]) -> list[int]:
        if self._sort is None:
            return list(range(len(records)))
        column, order = self._sort
        key = self._columns[column].key
        descending = order == Qt.SortOrder.DescendingOrder
        return sorted(range(len(records)), key=lambda row: key(records[row]), reverse=descending)
