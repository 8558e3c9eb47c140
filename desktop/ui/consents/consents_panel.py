"""A patient's consents: the forms needed now (by risk category and age today), each signed
or missing, recording a signature (domain.md §5), and every signature on record with the
ones voided by a correction struck through (issue 6, item 11)."""

from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import QModelIndex, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.ages import age_on
from desktop.rules.consents import ConsentForm
from desktop.rules.patients import RISK_CATEGORY_LABELS
from desktop.services.consents import (
    ConsentNeed,
    ConsentSignatureRecord,
    consent_needs,
    consent_signatures,
)
from desktop.services.context import Context
from desktop.services.course_lifecycle import list_courses
from desktop.services.patients import get_patient
from desktop.services.records import PatientRecord
from desktop.services.roles import Role
from desktop.ui import messages
from desktop.ui.consents.consent_correction_dialog import ConsentCorrectionDialog
from desktop.ui.consents.consent_sign_dialog import ConsentSignDialog
from desktop.ui.consents.consents_table_model import ConsentsTableModel, signers_text
from desktop.ui.consents.signatures_table_model import ConsentSignaturesTableModel
from desktop.ui.record_table import set_up_record_table
from desktop.ui.tasks import run_task

NO_CATEGORY = "no risk category assigned yet"
CORRECT_TIP = (
    "Correct the selected signature (a wrong date, witness, guardian or version) or void one "
    "recorded in error: it stays on file, struck through with your reason."
)


@dataclass(frozen=True, slots=True)
class ConsentsView:
    """What one refresh loads."""

    on: date
    patient: PatientRecord
    needs: tuple[ConsentNeed, ...]
    prescriber_name: str
    """The latest course's prescriber, to fill in the signature form."""
    signatures: tuple[ConsentSignatureRecord, ...] = ()
    """Every signature on record, voided ones included, newest first."""


def load_consents_view(ctx: Context, patient_id: int) -> ConsentsView:
    courses = list_courses(ctx, patient_id)
    if courses:
        prescriber = courses[0].prescriber_name
    else:
        prescriber = ctx.actor.display_name if ctx.actor.role is Role.PRESCRIBER else ""
    return ConsentsView(
        ctx.today(),
        get_patient(ctx, patient_id),
        consent_needs(ctx, patient_id),
        prescriber,
        consent_signatures(ctx, patient_id),
    )


def basis_words(view: ConsentsView) -> str:
    """Why these forms and who signs them: the category and the age today (domain.md §5,
    §1.2). Every form of one patient has the same signers on a given day."""
    patient = view.patient
    category = RISK_CATEGORY_LABELS[patient.risk_category] if patient.risk_category else NO_CATEGORY
    age = age_on(patient.birth_date, view.on)
    signers = f"; signed by {signers_text(view.needs[0])}" if view.needs else ""
    return f"Forms needed today for: {category.lower()}, age {age}{signers}."


class ConsentsPanel(QWidget):
    """Loads through `run_task` on `refresh()`; emits `consents_changed` with the patient id
    after a signature is recorded here."""

    consents_changed = Signal(int)

    def __init__(self, ctx: Context, patient_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.patient_id = patient_id
        self.view: ConsentsView | None = None
        self.heading_label = QLabel("Consent forms")
        self.heading_label.setObjectName("heading")
        self.basis_label = QLabel()
        self.basis_label.setObjectName("hint")
        self.basis_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("error")
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self.sign_button = QPushButton("Record &signature…")
        self.model = ConsentsTableModel()
        self.table = QTableView()
        self.correct_button = QPushButton("C&orrect signature…")
        self.correct_button.setToolTip(CORRECT_TIP)
        self.correct_button.setEnabled(False)
        self.signatures_label = QLabel("Signatures on record")
        self.signatures_model = ConsentSignaturesTableModel(ctx.time_zone)
        self.signatures_table = QTableView()
        self._lay_out()
        self._lay_out_signatures()
        self.sign_button.clicked.connect(self._on_sign_button_clicked)
        self.table.doubleClicked.connect(self._on_table_double_clicked)
        self.correct_button.clicked.connect(self._on_correct_button_clicked)
        self.table.selectionModel().selectionChanged.connect(self._on_table_selection_changed)
        self.signatures_table.selectionModel().selectionChanged.connect(
            self._on_signatures_table_selection_changed
        )
        self.refresh()

    def _lay_out(self) -> None:
        table = self.table
        set_up_record_table(table, self.model)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        top = QHBoxLayout()
        top.addWidget(self.heading_label)
        top.addStretch(1)
        top.addWidget(self.sign_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.basis_label)
        layout.addWidget(self.status_label)
        layout.addWidget(table, 1)
        self.setTabOrder(self.sign_button, table)

    def _lay_out_signatures(self) -> None:
        """Below the forms needed: every signature on record and the correction button."""
        table = self.signatures_table
        set_up_record_table(table, self.signatures_model)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        row = QHBoxLayout()
        row.addWidget(self.signatures_label)
        row.addStretch(1)
        row.addWidget(self.correct_button)
        layout = self.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.addLayout(row)
        layout.addWidget(table, 1)
        self.setTabOrder(self.table, self.correct_button)
        self.setTabOrder(self.correct_button, table)

    def refresh(self) -> None:
        ctx, patient_id = self._ctx, self.patient_id
        run_task(
            self,
            lambda: load_consents_view(ctx, patient_id),
            self._on_view_loaded,
            self._on_view_failed,
        )

    def _on_view_failed(self, error: Exception) -> None:
        self.status_label.setText(messages.describe(error))
        self.status_label.show()

    def _on_view_loaded(self, view: ConsentsView) -> None:
        self.view = view
        self.status_label.hide()
        self.basis_label.setText(basis_words(view))
        self.model.set_records(view.needs)
        self.table.resizeRowsToContents()
        self.signatures_model.set_records(view.signatures)
        self.signatures_table.resizeRowsToContents()
        self._update_correct_button()

    def _selected_form(self) -> ConsentForm | None:
        """The selected row's form, else the first one missing."""
        rows = self.table.selectionModel().selectedRows()
        if rows:
            return self.model.record_at(rows[0].row()).form
        missing = [n.form for n in self.model.records() if n.signed is None]
        return missing[0] if missing else None

    def sign(self, form: ConsentForm | None = None) -> None:
        view = self.view
        if view is None:
            return
        saved = ConsentSignDialog.ask(
            self._ctx, view.patient, view.needs, self, form, view.prescriber_name
        )
        if saved is not None:
            self.refresh()
            self.consents_changed.emit(self.patient_id)

    def _on_sign_button_clicked(self) -> None:
        self.sign(self._selected_form())

    def _on_table_double_clicked(self, index: QModelIndex) -> None:
        self.sign(self.model.record_at(index.row()).form)

    def selected_signature(self) -> ConsentSignatureRecord | None:
        """The signature selected in the list on record, else the one standing for the form
        selected above; None when that is voided or missing (nothing to correct)."""
        chosen: ConsentSignatureRecord | None = None
        on_record = self.signatures_table.selectionModel().selectedRows()
        if on_record:
            chosen = self.signatures_model.record_at(on_record[0].row())
        else:
            needed = self.table.selectionModel().selectedRows()
            if needed:
                chosen = self.model.record_at(needed[0].row()).signed
        return chosen if chosen is not None and chosen.counts else None

    def _update_correct_button(self) -> None:
        self.correct_button.setEnabled(self.selected_signature() is not None)

    def _on_table_selection_changed(self, *_: object) -> None:
        if self.table.selectionModel().hasSelection():
            self.signatures_table.clearSelection()
        self._update_correct_button()

    def _on_signatures_table_selection_changed(self, *_: object) -> None:
        if self.signatures_table.selectionModel().hasSelection():
            self.table.clearSelection()
        self._update_correct_button()

    def correct(self) -> None:
        view, signed = self.view, self.selected_signature()
        if view is None or signed is None:
            return
        saved = ConsentCorrectionDialog.ask(self._ctx, view.patient, signed, self)
        if saved is not None:
            self.refresh()
            self.consents_changed.emit(self.patient_id)

    def _on_correct_button_clicked(self) -> None:
        self.correct()
