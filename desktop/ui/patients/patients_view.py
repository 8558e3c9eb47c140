"""The patient list: search as you type, sort by any column, open a chart, add a patient."""

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.context import Context
from desktop.services.patients import PatientList, PatientSort, list_patients
from desktop.services.records import PatientRecord
from desktop.ui import messages
from desktop.ui.patients.patient_dialog import PatientDialog
from desktop.ui.patients.patients_table_model import SORT_BY_COLUMN, PatientsTableModel
from desktop.ui.tasks import run_task

SEARCH_DELAY_MS = 200
"""Long enough not to search on every keystroke of a fast typist, short enough to feel live."""


class PatientsView(QWidget):
    """Emits `chart_requested(patient_id)` on Enter or double-click, `results_shown` after
    each search, and `patient_saved(record)` after a new patient is registered here.

    The list shows the first `SEARCH_LIMIT` matching patients in the order of the clicked
    header, sorted over all that match, and says so when more match than are shown."""

    chart_requested = Signal(int)
    results_shown = Signal()
    patient_saved = Signal(object)

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self._select_after_search: int | None = None
        self.sort = PatientSort.NAME
        self.descending = False
        self.model = PatientsTableModel(ctx.today())
        self.search_input = QLineEdit()
        self.search_input.setPlaceholderText("Name, MRN or date of birth (YYYY-MM-DD)")
        self.search_input.setClearButtonEnabled(True)
        self.new_patient_button = QPushButton("&New patient…")
        self.new_patient_button.setToolTip("Register a patient (Ctrl+N)")
        self.table = QTableView()
        self.empty_label = QLabel()
        self.empty_label.setObjectName("emptyState")
        self.count_label = QLabel()
        self.count_label.setObjectName("hint")
        self.search_timer = QTimer(self)
        self.search_timer.setSingleShot(True)
        self.search_timer.setInterval(SEARCH_DELAY_MS)
        self._set_up_table()
        self._lay_out()
        self._connect()

    def _set_up_table(self) -> None:
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(SORT_BY_COLUMN.index(self.sort), Qt.SortOrder.AscendingOrder)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)

    def _lay_out(self) -> None:
        find_label = QLabel("&Find")
        find_label.setBuddy(self.search_input)
        top = QHBoxLayout()
        top.addWidget(find_label)
        top.addWidget(self.search_input, 1)
        top.addWidget(self.new_patient_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.count_label)
        self.setTabOrder(self.search_input, self.table)
        self.setTabOrder(self.table, self.new_patient_button)
        self.setFocusProxy(self.search_input)

    def _connect(self) -> None:
        self.search_input.textEdited.connect(self._on_search_input_text_edited)
        self.search_input.returnPressed.connect(self._on_search_input_return_pressed)
        self.search_timer.timeout.connect(self.refresh)
        self.table.activated.connect(self._on_table_activated)
        self.table.horizontalHeader().sortIndicatorChanged.connect(
            self._on_header_sort_indicator_changed
        )
        self.new_patient_button.clicked.connect(self.add_patient)
        new_action = QAction("New patient", self)
        new_action.setShortcut(QKeySequence.StandardKey.New)
        new_action.triggered.connect(self.add_patient)
        self.addAction(new_action)

    def showEvent(self, event: QShowEvent) -> None:
        """Search again whenever the list comes into view: another workstation may have
        registered or edited patients meanwhile."""
        super().showEvent(event)
        self.refresh()

    def _on_search_input_text_edited(self, _text: str) -> None:
        self.search_timer.start()

    def _on_header_sort_indicator_changed(self, column: int, order: Qt.SortOrder) -> None:
        self.sort = SORT_BY_COLUMN[column]
        self.descending = order == Qt.SortOrder.DescendingOrder
        if self._select_after_search is None and (selected := self.selected_id()) is not None:
            self._select_after_search = selected  # the same patient stays selected
        self.refresh()

    def selected_id(self) -> int | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()).id if rows else None

    def refresh(self) -> None:
        """Search now for the text in the box; results of an older search are ignored."""
        self.search_timer.stop()
        self._generation += 1
        generation, text, ctx = self._generation, self.search_input.text(), self._ctx
        sort, descending = self.sort, self.descending
        run_task(
            self,
            lambda: list_patients(ctx, text, sort=sort, descending=descending),
            lambda found: self._on_search_done(generation, text, found),
            lambda error: messages.show_error(self, error),
        )

    def _on_search_done(self, generation: int, text: str, found: PatientList) -> None:
        if generation != self._generation:
            return
        rows = found.rows
        self.model.set_records(rows)
        if not rows and text.strip():
            self.empty_label.setText(f"No patient matches “{text.strip()}”.")
        elif not rows:
            self.empty_label.setText("No patients yet. Press New patient (Ctrl+N) to add one.")
        self.empty_label.setVisible(not rows)
        self._show_count(found)
        if self._select_after_search is not None:
            self.select_patient(self._select_after_search)
            self._select_after_search = None
        self.results_shown.emit()

    def _show_count(self, found: PatientList) -> None:
        """'3 patients', or a warning when the list holds only the first of more."""
        if found.is_cut:
            text = (
                f"Showing the first {len(found.rows):,} of {found.total:,} patients: "
                "refine the search to find the others."
            )
        else:
            text = f"{found.total:,} patient{'s' if found.total != 1 else ''}"
        self.count_label.setText(text)
        style = "warningFlag" if found.is_cut else "hint"
        if self.count_label.objectName() != style:
            self.count_label.setObjectName(style)
            self.count_label.style().unpolish(self.count_label)
            self.count_label.style().polish(self.count_label)

    def select_patient(self, patient_id: int) -> None:
        for row, record in enumerate(self.model.records()):
            if record.id == patient_id:
                self.table.selectRow(row)
                return

    def _on_search_input_return_pressed(self) -> None:
        if self.model.rowCount() == 1:
            self.chart_requested.emit(self.model.record_at(0).id)
        elif self.model.rowCount() > 1:
            self.table.setFocus()
            self.table.selectRow(0)

    def _on_table_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.chart_requested.emit(self.model.record_at(index.row()).id)

    def add_patient(self) -> None:
        record: PatientRecord | None = PatientDialog.ask(self._ctx, self)
        if record is None:
            return
        self.search_input.clear()
        self._select_after_search = record.id
        self.refresh()
        self.patient_saved.emit(record)
