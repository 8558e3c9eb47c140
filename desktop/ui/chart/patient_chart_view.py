"""One patient's chart: who they are, their safety flags, and every change to their record."""

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.patients import RISK_CATEGORY_EXPLANATIONS
from desktop.services.context import Context
from desktop.services.errors import IsoTrackError
from desktop.services.patients import get_patient, patient_history
from desktop.services.records import PatientRecord
from desktop.ui import messages
from desktop.ui.chart.history_table_model import HistoryTableModel
from desktop.ui.patients.patient_dialog import PatientDialog
from desktop.ui.patients.patient_form_panel import HARD_STOP_NOTE, field_title
from desktop.ui.patients.patients_table_model import (
    birth_date_and_age,
    name_with_preferred,
    risk_category_label,
)

PREGNANCY_FLAG = "Pregnant or breastfeeding — hard stop"
RETINOID_ALLERGY_FLAG = "Retinoid / vitamin A allergy"
OVERVIEW_FIELDS = (
    "legal_name", "preferred_name", "birth_date", "sex_at_birth", "risk_category",
    "ipledge_patient_id", "phone", "email", "allergies", "has_retinoid_allergy",
    "is_pregnant_or_breastfeeding", "guardian_name", "guardian_relationship",
)  # fmt: skip


class PatientChartView(QWidget):
    """Emits `back_requested` for the patient list and `patient_changed(record)` after an
    edit saved here. The chart reloads the record before each edit, so the form starts from
    the latest version rather than the one on screen."""

    back_requested = Signal()
    patient_changed = Signal(object)

    def __init__(self, ctx: Context, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.patient_id = patient_id
        self.record: PatientRecord | None = None
        self.back_button = QPushButton("← &Patients")
        self.edit_button = QPushButton("&Edit patient…")
        self.name_label = QLabel()
        self.name_label.setObjectName("chartName")
        self.summary_label = QLabel()
        self.pregnancy_flag_label = QLabel(PREGNANCY_FLAG)
        self.pregnancy_flag_label.setObjectName("hardStopFlag")
        self.allergy_flag_label = QLabel(RETINOID_ALLERGY_FLAG)
        self.allergy_flag_label.setObjectName("warningFlag")
        self.overview_values = {field: QLabel() for field in OVERVIEW_FIELDS}
        self.history_model = HistoryTableModel(ctx.time_zone)
        self.history_table = QTableView()
        self.tabs = QTabWidget()
        self._lay_out()
        self.back_button.clicked.connect(self.back_requested)
        self.edit_button.clicked.connect(self.edit_patient)
        self.reload()

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        top.addWidget(self.edit_button)
        flags = QHBoxLayout()
        flags.addWidget(self.pregnancy_flag_label)
        flags.addWidget(self.allergy_flag_label)
        flags.addStretch(1)
        self.tabs.addTab(self._overview_tab(), "&Overview")
        self.tabs.addTab(self._history_tab(), "&History")
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.name_label)
        layout.addWidget(self.summary_label)
        layout.addLayout(flags)
        layout.addWidget(self.tabs, 1)

    def _overview_tab(self) -> QWidget:
        tab = QWidget()
        form = QFormLayout(tab)
        for field, value in self.overview_values.items():
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            form.addRow(f"{field_title(field)}:", value)
        return tab

    def _history_tab(self) -> QWidget:
        table = self.history_table
        table.setModel(self.history_model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        return table

    def reload(self) -> None:
        try:
            record = get_patient(self._ctx, self.patient_id)
            history = patient_history(self._ctx, self.patient_id)
        except IsoTrackError as error:
            messages.show_error(self, error)
            return
        self.record = record
        self._show_header(record)
        self._show_overview(record)
        self.history_model.set_records(history)
        self.history_table.resizeRowsToContents()

    def _show_header(self, record: PatientRecord) -> None:
        self.name_label.setText(name_with_preferred(record.legal_name, record.preferred_name))
        parts = (
            birth_date_and_age(record.birth_date, self._ctx.today()),
            f"MRN {record.mrn}",
            risk_category_label(record.risk_category),
        )
        self.summary_label.setText("  ·  ".join(parts))
        self.pregnancy_flag_label.setVisible(record.is_pregnant_or_breastfeeding)
        self.pregnancy_flag_label.setToolTip(HARD_STOP_NOTE)
        self.allergy_flag_label.setVisible(record.has_retinoid_allergy)

    def _show_overview(self, record: PatientRecord) -> None:
        category = risk_category_label(record.risk_category)
        if record.risk_category is not None:
            category += f"\n{RISK_CATEGORY_EXPLANATIONS[record.risk_category]}"
        shown = {
            "birth_date": birth_date_and_age(record.birth_date, self._ctx.today()),
            "sex_at_birth": record.sex_at_birth.value.capitalize(),
            "risk_category": category,
            "has_retinoid_allergy": "Yes" if record.has_retinoid_allergy else "No",
            "is_pregnant_or_breastfeeding": (
                f"Yes — {HARD_STOP_NOTE}" if record.is_pregnant_or_breastfeeding else "No"
            ),
        }
        for field, label in self.overview_values.items():
            label.setText(shown.get(field, str(getattr(record, field))) or "—")

    def edit_patient(self) -> None:
        self.reload()
        if self.record is None:
            return
        saved = PatientDialog.ask(self._ctx, self, existing=self.record)
        if saved is not None:
            self.reload()
            self.patient_changed.emit(saved)
