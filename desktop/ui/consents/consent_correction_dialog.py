"""Correct a signed consent on record, or void one recorded in error (issue 6, item 11). The
signed record is never edited: it is voided with the reason typed here and, for a
correction, the values below are signed again as a new record that replaces it. Either way
the user's password signs the change."""

from PySide6.QtWidgets import QComboBox, QLabel, QLineEdit, QWidget

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
from desktop.services.records import PatientRecord
from desktop.ui.consents.consent_sign_dialog import MINOR_NOTE, SIGNED_PROBLEM
from desktop.ui.signed_record_correction_dialog import (
    CorrectionWords,
    SignedRecordCorrectionDialog,
    date_problem,
)
from desktop.ui.widgets.date_input import DateInput

VOID = "Void signature"
WORDS = CorrectionWords(
    title="Correct consent signature",
    void=VOID,
    correct_note=(
        "The signature on record stays on file, struck through with your reason; what you "
        "change below is signed again as a new record that replaces it."
    ),
    void_note=(
        "The signature stays on file, struck through with your reason, and no longer counts: "
        "the form is missing again unless another signature of it stands."
    ),
    reason_example="e.g. the form is dated 18 Nov, not 19 Nov",
)


def signed_words(record: ConsentSignatureRecord) -> str:
    """ "Informed consent (all patients), signed 2026-11-19, recorded by Nina Nurse"."""
    return (
        f"{CONSENT_FORM_TITLES[record.form]}, signed {record.signed_on.isoformat()}, "
        f"recorded by {record.recorded_by_name}"
    )


class ConsentCorrectionDialog(SignedRecordCorrectionDialog[ConsentSignatureRecord]):
    """On a successful save `result_record` holds the new signature (a correction) or the
    voided one (a void)."""

    def __init__(
        self,
        ctx: Context,
        patient: PatientRecord,
        signed: ConsentSignatureRecord,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(ctx, WORDS, signed_words(signed), parent)
        self._patient = patient
        self._signed = signed
        self._make_inputs()
        self._lay_out()
        self.signed_input.date_edited.connect(self._on_signed_input_date_edited)
        self._on_signed_input_date_edited(self.signed_input.date_value())

    def _make_inputs(self) -> None:
        signed = self._signed
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

    def _lay_out(self) -> None:
        version = self.row("template_version", "Template &version", self.version_input)
        signed_on = self.row("signed_on", "&Signed on", self.signed_input)
        self.form.addRow("", self.minor_label)
        prescriber = self.row("prescriber_name", "&Prescriber", self.prescriber_input)
        self._guardian_rows = (
            self.row("guardian_name", "Parent or &guardian", self.guardian_name_input),
            self.row(
                "guardian_relationship",
                "&Relationship to patient",
                self.guardian_relationship_input,
            ),
        )
        witness = self.row("witness_name", "&Witness", self.witness_input)
        inputs = (
            self.version_input, self.signed_input, self.prescriber_input,
            self.guardian_name_input, self.guardian_relationship_input, self.witness_input,
        )  # fmt: skip
        self.finish_layout(
            (version, signed_on, prescriber, witness), inputs, self.signed_input, min_width=560
        )

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

    def _is_minor(self) -> bool:
        day = self.signed_input.date_value()
        return day is not None and is_minor_on(self._patient.birth_date, day)

    def _on_void_input_toggled(self, voiding: bool) -> None:
        super()._on_void_input_toggled(voiding)
        self._on_signed_input_date_edited(self.signed_input.date_value())

    def _on_signed_input_date_edited(self, _signed_on: object) -> None:
        shown = self._is_minor() and not self.is_voiding()
        for row in self._guardian_rows:
            self.form.setRowVisible(row, shown)
        self.form.setRowVisible(self.minor_label, shown)

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

    def correction_problem(self) -> Problem | None:
        return date_problem("signed_on", self.signed_input, SIGNED_PROBLEM)

    def save(self, reason: str, password: str) -> ConsentSignatureRecord:
        signed_id = self._signed.id
        if self.is_voiding():
            return void_consent_signature(self._ctx, signed_id, reason, password)
        return correct_consent_signature(self._ctx, signed_id, self.draft(), reason, password)
