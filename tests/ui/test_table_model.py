"""The generic record table: text per column, sorting by each column's key, selection kept."""

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QItemSelectionModel, Qt

from desktop.ui.table_model import Column, RecordTableModel


@dataclass(frozen=True)
class Row:
    name: str
    born: date


def _model() -> RecordTableModel[Row]:
    model: RecordTableModel[Row] = RecordTableModel(
        (
            Column("Name", lambda r: r.name),
            Column("Born", lambda r: f"{r.born:%m/%d/%Y}", sort_key=lambda r: r.born),
        )
    )
    model.set_records(
        [Row("Cara", date(1999, 2, 1)), Row("Abe", date(2001, 1, 5)), Row("Bo", date(1990, 12, 9))]
    )
    return model


def _names(model: RecordTableModel[Row]) -> list[str]:
    return [model.data(model.index(row, 0)) for row in range(model.rowCount())]


def test_cells_headers_and_unknown_roles() -> None:
    model = _model()
    assert (model.rowCount(), model.columnCount()) == (3, 2)
    assert model.headerData(1, Qt.Orientation.Horizontal) == "Born"
    assert model.data(model.index(0, 1)) == "02/01/1999"
    assert model.data(model.index(0, 0), Qt.ItemDataRole.DecorationRole) is None
    assert model.rowCount(model.index(0, 0)) == 0


def test_sorting_uses_the_key_not_the_shown_text() -> None:
    model = _model()
    model.sort(1)
    assert _names(model) == ["Bo", "Cara", "Abe"]  # by date; the text would give Abe first
    model.sort(1, Qt.SortOrder.DescendingOrder)
    assert _names(model) == ["Abe", "Cara", "Bo"]


def test_new_records_keep_the_chosen_order() -> None:
    model = _model()
    model.sort(0)
    model.set_records([Row("Zed", date(2000, 1, 1)), Row("Al", date(2000, 1, 2))])
    assert _names(model) == ["Al", "Zed"]


def test_a_selected_record_stays_selected_when_sorted() -> None:
    model = _model()
    selection = QItemSelectionModel(model)
    selection.select(
        model.index(1, 0),
        QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows,
    )
    model.sort(0)
    selected = selection.selectedRows()
    assert [model.record_at(i.row()).name for i in selected] == ["Abe"]
