"""Correct a signed consent on record, or void one recorded in error (issue 6, item 11). The
signed record is never edited: it is voided with the reason typed here and, for a
correction, the values below are signed again as a new record that replaces it. Either way
the user's password signs the change."""

from itertools import pairwise

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.ages import is_minor_on
from desktop.rules.problems import Problem
from desktop.services.consent_template_versions import signable_template_versions
from desktop.services.consents import (
    CONSENT_FORM_TITLES,
    ConsentDraft,
    ConsentSignatureRecord,
    correct_consent_signature,
    void_consent_signature,
)
from desktop.services.context import Context
from desktop.services.errors import AuthenticationFailed, IsoTrackError, ValidationFailed
from desktop.services.records import PatientRecord
from desktop.services.signatures import REASON_MAX_CHARS, REASON_PROBLEM
from desktop.ui.consents.consent_sign_dialog import MINOR_NOTE, PASSWORD_PROBLEM, SIGNED_PROBLEM
from desktop.ui.field_problems import FieldProblems
from desktop.ui.widgets.date_input import DateInput

CORRECT = "Save correction"
VOID = "Void signature"
VOID_NOTE = (
    "The signature stays on file, struck through with your reason, and no longer counts: "
    "the form is missing again unless another signature of it stands."
)
CORRECT_NOTE = (
    "The signature on record stays on file, struck through with your reason; what you "
    "change below is signed again as a new record that replaces it."
)


def signed_words(record: ConsentSignatureRecord) -> str:
    """ "Informed consent (all patients), signed 2026-11-19, recorded by Nina Nurse"."""
    return (
        f"{CONSENT_FORM_TITLES[record.form]}, signed {record.signed_on.isoformat()}, "
        f"recorded by {record.recorded_by_name}"
    )


class ConsentCorrectionDialog(QDialog):
    """On a successful save `result_record` holds the new signature (a correction) or the
    voided one (a void)."""

    def __init__(
        self,
        ctx: Context,
        patient: PatientRecord,
        signed: ConsentSignatureRecord,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._patient = patient
        self._signed = signed
        self.result_record: ConsentSignatureRecord | None = None
        self.setWindowTitle("Correct consent signature")
        self.signed_label = QLabel(signed_words(signed))
        self.signed_label.setWordWrap(True)
        self.note_label = QLabel(CORRECT_NOTE)
        self.note_label.setObjectName("hint")
        self.note_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self._make_inputs()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(CORRECT)
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Cancel")
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.void_input.toggled.connect(self._on_void_input_toggled)
        self.signed_input.date_edited.connect(self._on_signed_input_date_edited)
        self._on_signed_input_date_edited(self.signed_input.date_value())

    def _make_inputs(self) -> None:
        signed = self._signed
        self.void_input = QCheckBox("Recorded in &error: void it, with no replacement")
        self.version_input = QComboBox()
        versions = signable_template_versions(self._ctx, signed.form)
        self.version_input.addItems(list(versions))
        if signed.template_version not in versions:
            self.version_input.addItem(signed.template_version)
        self.version_input.setCurrentText(signed.template_version)
        self.signed_input = DateInput()
        self.signed_input.set_date(signed.signed_on)
        self.minor_label = QLabel(MINOR_NOTE)
        self.minor_label.setObjectName("hint")
        self.prescriber_input = QLineEdit(signed.prescriber_name)
        self.guardian_name_input = QLineEdit(signed.guardian_name)
        self.guardian_relationship_input = QLineEdit(signed.guardian_relationship)
        self.witness_input = QLineEdit(signed.witness_name)
        self.witness_input.setPlaceholderText("Optional")
        self.reason_input = QLineEdit()
        self.reason_input.setMaxLength(REASON_MAX_CHARS)
        self.reason_input.setPlaceholderText("e.g. the form is dated 18 Nov, not 19 Nov")
        self.password_input = QLineEdit()
        self.password_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_input.setPlaceholderText(f"Password of {self._ctx.actor.display_name}")

    def _row(self, form: QFormLayout, field: str, text: str, widget: QWidget) -> QWidget:
        label = QLabel(text)
        label.setBuddy(widget)
        box = self.problems.wrap(field, widget)
        form.addRow(label, box)
        return box

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form_layout = form
        form.addRow("", self.void_input)
        version = self._row(form, "template_version", "Template &version", self.version_input)
        signed_on = self._row(form, "signed_on", "&Signed on", self.signed_input)
        form.addRow("", self.minor_label)
        prescriber = self._row(form, "prescriber_name", "&Prescriber", self.prescriber_input)
        self._guardian_rows = (
            self._row(form, "guardian_name", "Parent or &guardian", self.guardian_name_input),
            self._row(
                form,
                "guardian_relationship",
                "&Relationship to patient",
                self.guardian_relationship_input,
            ),
        )
        witness = self._row(form, "witness_name", "&Witness", self.witness_input)
        self._value_rows = (version, signed_on, prescriber, witness)
        self._row(form, "reason", "Reaso&n", self.reason_input)
        self._row(form, "password", "&Your password", self.password_input)
        layout = QVBoxLayout(self)
        layout.addWidget(self.signed_label)
        layout.addWidget(self.note_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain = (
            self.void_input, self.version_input, self.signed_input, self.prescriber_input,
            self.guardian_name_input, self.guardian_relationship_input, self.witness_input,
            self.reason_input, self.password_input, self.save_button, self.cancel_button,
        )  # fmt: skip
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.setMinimumWidth(560)
        self.signed_input.setFocus()

    @classmethod
    def ask(
        cls,
        ctx: Context,
        patient: PatientRecord,
        signed: ConsentSignatureRecord,
        parent: QWidget | None = None,
    ) -> ConsentSignatureRecord | None:
        dialog = cls(ctx, patient, signed, parent)
        dialog.exec()
        return dialog.result_record

    def _is_voiding(self) -> bool:
        return self.void_input.isChecked()

    def _is_minor(self) -> bool:
        day = self.signed_input.date_value()
        return day is not None and is_minor_on(self._patient.birth_date, day)

    def _on_void_input_toggled(self, voiding: bool) -> None:
        """Voiding keeps no values to correct: only the reason and the password."""
        for row in self._value_rows:
            self._form_layout.setRowVisible(row, not voiding)
        self._on_signed_input_date_edited(self.signed_input.date_value())
        self.save_button.setText(VOID if voiding else CORRECT)
        self.note_label.setText(VOID_NOTE if voiding else CORRECT_NOTE)

    def _on_signed_input_date_edited(self, _signed_on: object) -> None:
        shown = self._is_minor() and not self._is_voiding()
        for row in self._guardian_rows:
            self._form_layout.setRowVisible(row, shown)
        self._form_layout.setRowVisible(self.minor_label, shown)

    def draft(self) -> ConsentDraft:
        is_minor = self._is_minor()
        return ConsentDraft(
            patient_id=self._patient.id,
            form=self._signed.form,
            template_version=self.version_input.currentText(),
            signed_on=self.signed_input.date_value(),
            prescriber_name=self.prescriber_input.text(),
            guardian_name=self.guardian_name_input.text() if is_minor else "",
            guardian_relationship=self.guardian_relationship_input.text() if is_minor else "",
            witness_name=self.witness_input.text(),
        )

    def _typed_problem(self) -> Problem | None:
        if not self._is_voiding():
            if problem := self.signed_input.problem():
                return Problem("signed_on", problem)
            if self.signed_input.date_value() is None:
                return Problem("signed_on", SIGNED_PROBLEM)
        if not self.reason_input.text().strip():
            return Problem("reason", REASON_PROBLEM)
        if not self.password_input.text():
            return Problem("password", PASSWORD_PROBLEM)
        return None

    def _on_save_button_clicked(self) -> None:
        if problem := self._typed_problem():
            self.problems.show([problem])
            return
        reason, password = self.reason_input.text(), self.password_input.text()
        try:
            if self._is_voiding():
                saved = void_consent_signature(self._ctx, self._signed.id, reason, password)
            else:
                saved = correct_consent_signature(
                    self._ctx, self._signed.id, self.draft(), reason, password
                )
        except AuthenticationFailed as refused:
            self.problems.show([Problem("password", refused.user_message())])
            self.password_input.clear()
            return
        except ValidationFailed as refused:
            self.problems.show(refused.problems)
            return
        except IsoTrackError as error:  # voided meanwhile at another workstation
            self.problems.show_message(error.user_message())
            return
        self.result_record = saved
        self.accept()
