"""The patient's other medications on the Overview tab: current ones first, stopped ones
kept below them, with Add, Edit and Stop. The chart hands it the list it loaded."""

from collections.abc import Sequence

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QTableView, QVBoxLayout, QWidget

from desktop.services.context import Context
from desktop.services.errors import IsoTrackError
from desktop.services.medications import MedicationRecord, get_medication
from desktop.ui import messages
from desktop.ui.chart.medication_dialog import MedicationDialog, StopMedicationDialog
from desktop.ui.record_table import set_up_record_table
from desktop.ui.table_model import Column, RecordTableModel

HEADING = "Other medications and supplements"
NONE_RECORDED = "None recorded. Add everything the patient takes, supplements included."
NOTES_COLUMN = 1


def stopped_text(record: MedicationRecord) -> str:
    if record.stopped_on is None:
        return ""
    reason = f": {record.stop_reason}" if record.stop_reason else ""
    return f"{record.stopped_on.isoformat()}{reason}"


class MedicationsTableModel(RecordTableModel[MedicationRecord]):
    def __init__(self) -> None:
        super().__init__(
            (
                Column("Medication", lambda r: r.name),
                Column("Dose and notes", lambda r: r.dose),
                Column(
                    "Since",
                    lambda r: r.started_on.isoformat() if r.started_on else "",
                ),
                Column("Stopped", stopped_text),
            )
        )


class MedicationsPanel(QWidget):
    """Emits `medications_changed` after a save here; the chart then reloads the list (and
    the header's interaction warnings) and hands it back through `show_records`."""

    medications_changed = Signal()

    def __init__(self, ctx: Context, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.patient_id = patient_id
        self.heading_label = QLabel(HEADING)
        self.heading_label.setObjectName("heading")
        self.empty_label = QLabel(NONE_RECORDED)
        self.empty_label.setObjectName("hint")
        self.add_button = QPushButton("&Add medication…")
        self.edit_button = QPushButton("E&dit…")
        self.stop_button = QPushButton("Sto&p…")
        self.model = MedicationsTableModel()
        self.table = QTableView()
        self._lay_out()
        self.add_button.clicked.connect(self.add_medication)
        self.edit_button.clicked.connect(self.edit_selected)
        self.stop_button.clicked.connect(self.stop_selected)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)
        self.show_records(())

    def _lay_out(self) -> None:
        set_up_record_table(self.table, self.model, stretch_column=NOTES_COLUMN)
        top = QHBoxLayout()
        top.addWidget(self.heading_label)
        top.addStretch(1)
        for button in (self.add_button, self.edit_button, self.stop_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        self.setTabOrder(self.add_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.stop_button)
        self.setTabOrder(self.stop_button, self.table)

    def show_records(self, records: Sequence[MedicationRecord]) -> None:
        """Keeps the selected entry selected when it is still listed."""
        selected = self.selected()
        self.model.set_records(records)
        self.empty_label.setVisible(not records)
        if selected is not None:
            self.select(selected.id)
        self.table.resizeRowsToContents()
        self._update_buttons()

    def selected(self) -> MedicationRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def select(self, medication_id: int) -> None:
        for row, record in enumerate(self.model.records()):
            if record.id == medication_id:
                self.table.selectRow(row)
                return

    def _update_buttons(self) -> None:
        selected = self.selected()
        self.edit_button.setEnabled(selected is not None)
        self.stop_button.setEnabled(selected is not None and selected.is_current)

    def add_medication(self) -> None:
        if MedicationDialog.ask(self._ctx, self.patient_id, self) is not None:
            self.medications_changed.emit()

    def edit_selected(self) -> None:
        latest = self._latest_selected()
        if latest is None:
            return
        if MedicationDialog.ask(self._ctx, self.patient_id, self, existing=latest) is not None:
            self.medications_changed.emit()

    def stop_selected(self) -> None:
        latest = self._latest_selected()
        if latest is None:
            return
        if not latest.is_current:
            self.medications_changed.emit()  # stopped elsewhere meanwhile: show that
            return
        if StopMedicationDialog.ask(self._ctx, latest, self) is not None:
            self.medications_changed.emit()

    def _latest_selected(self) -> MedicationRecord | None:
        """The selected entry as saved now, not as listed: another workstation may have
        changed it since, and a dialog opened on the old copy could only be refused."""
        selected = self.selected()
        if selected is None:
            return None
        try:
            return get_medication(self._ctx, selected.id)
        except IsoTrackError as error:
            messages.show_error(self, error)
            return None
