"""Record a signed consent form: which form and template version, when, who signed, and
the recording user's password again, so the entry is attributable to a person (domain.md §5)."""

from collections.abc import Sequence
from datetime import date
from itertools import pairwise

from PySide6.QtWidgets import (
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
from desktop.rules.consents import ConsentForm
from desktop.rules.problems import Problem
from desktop.services.consent_template_versions import signable_template_versions
from desktop.services.consents import (
    ConsentDraft,
    ConsentNeed,
    ConsentSignatureRecord,
    record_consent_signature,
)
from desktop.services.context import Context
from desktop.services.errors import AuthenticationFailed, IsoTrackError, ValidationFailed
from desktop.services.records import PatientRecord
from desktop.ui.field_problems import FieldProblems
from desktop.ui.widgets.date_input import DateInput
from desktop.ui.widgets.signing_password_input import PASSWORD_PROBLEM, signing_password_input

SIGNED_PROBLEM = "Enter the date signed (not in the future)."
RELATIONSHIP_PROBLEM = "Enter how the parent or guardian is related to the patient."
MINOR_NOTE = "Under 18 on this date: a parent or guardian signs and initials every item."


class ConsentSignDialog(QDialog):
    """On a successful save `result_record` holds the signature as saved."""

    def __init__(
        self,
        ctx: Context,
        patient: PatientRecord,
        needs: Sequence[ConsentNeed],
        parent: QWidget | None = None,
        form: ConsentForm | None = None,
        prescriber_name: str = "",
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._patient = patient
        self.result_record: ConsentSignatureRecord | None = None
        self.setWindowTitle("Record consent signature")
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self._make_inputs(needs, ctx.today(), prescriber_name)
        if form is not None:
            self.form_input.setCurrentIndex(self.form_input.findData(form.value))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save")
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Cancel")
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.form_input.currentIndexChanged.connect(self._on_form_input_changed)
        self.signed_input.date_edited.connect(self._on_signed_input_date_edited)
        self._on_form_input_changed()
        self._on_signed_input_date_edited(self.signed_input.date_value())

    def _make_inputs(self, needs: Sequence[ConsentNeed], today: date, prescriber: str) -> None:
        self.form_input = QComboBox()
        for need in needs:
            self.form_input.addItem(need.title, need.form.value)
        self.version_input = QComboBox()
        self.signed_input = DateInput()
        self.signed_input.set_date(today)
        self.minor_label = QLabel(MINOR_NOTE)
        self.minor_label.setObjectName("hint")
        self.prescriber_input = QLineEdit(prescriber)
        self.guardian_name_input = QLineEdit(self._patient.guardian_name)
        self.guardian_relationship_input = QLineEdit(self._patient.guardian_relationship)
        self.guardian_relationship_input.setPlaceholderText("e.g. mother, father, legal guardian")
        self.witness_input = QLineEdit()
        self.witness_input.setPlaceholderText("Optional")
        self.password_input = signing_password_input(self._ctx.actor.display_name)

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
        self._row(form, "form", "&Form", self.form_input)
        self._row(form, "template_version", "Template &version", self.version_input)
        self._row(form, "signed_on", "&Signed on", self.signed_input)
        form.addRow("", self.minor_label)
        self._row(form, "prescriber_name", "&Prescriber", self.prescriber_input)
        self._guardian_rows = (
            self._row(form, "guardian_name", "Parent or &guardian", self.guardian_name_input),
            self._row(
                form,
                "guardian_relationship",
                "&Relationship to patient",
                self.guardian_relationship_input,
            ),
        )
        self._row(form, "witness_name", "&Witness", self.witness_input)
        self._row(form, "password", "&Your password", self.password_input)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain = (
            self.form_input, self.version_input, self.signed_input, self.prescriber_input,
            self.guardian_name_input, self.guardian_relationship_input, self.witness_input,
            self.password_input, self.save_button, self.cancel_button,
        )  # fmt: skip
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.setMinimumWidth(560)
        self.form_input.setFocus()

    @classmethod
    def ask(
        cls,
        ctx: Context,
        patient: PatientRecord,
        needs: Sequence[ConsentNeed],
        parent: QWidget | None = None,
        form: ConsentForm | None = None,
        prescriber_name: str = "",
    ) -> ConsentSignatureRecord | None:
        dialog = cls(ctx, patient, needs, parent, form, prescriber_name)
        dialog.exec()
        return dialog.result_record

    def _chosen_form(self) -> ConsentForm | None:
        data = self.form_input.currentData()
        return None if data is None else ConsentForm(data)

    def _on_form_input_changed(self) -> None:
        """Versions of the chosen form, the latest chosen (the one printed today)."""
        form = self._chosen_form()
        versions = signable_template_versions(self._ctx, form) if form is not None else ()
        self.version_input.clear()
        self.version_input.addItems(list(versions))
        self.version_input.setCurrentIndex(len(versions) - 1)

    def _is_minor_on(self, day: date | None) -> bool:
        return day is not None and is_minor_on(self._patient.birth_date, day)

    def _on_signed_input_date_edited(self, signed_on: date | None) -> None:
        """Guardian rows show when the patient was under 18 on the day signed (domain.md §5)."""
        is_minor = self._is_minor_on(signed_on)
        for row in self._guardian_rows:
            self._form_layout.setRowVisible(row, is_minor)
        self._form_layout.setRowVisible(self.minor_label, is_minor)

    def _typed_problem(self, signed_on: date | None) -> Problem | None:
        if problem := self.signed_input.problem():
            return Problem("signed_on", problem)
        if signed_on is None:
            return Problem("signed_on", SIGNED_PROBLEM)
        has_guardian = bool(self.guardian_name_input.text().strip())
        has_relationship = bool(self.guardian_relationship_input.text().strip())
        if self._is_minor_on(signed_on) and has_guardian and not has_relationship:
            return Problem("guardian_relationship", RELATIONSHIP_PROBLEM)
        if not self.password_input.text():
            return Problem("password", PASSWORD_PROBLEM)
        return None

    def draft(self) -> ConsentDraft | None:
        form = self._chosen_form()
        if form is None:
            return None
        is_minor = self._is_minor_on(self.signed_input.date_value())
        return ConsentDraft(
            patient_id=self._patient.id,
            form=form,
            template_version=self.version_input.currentText(),
            signed_on=self.signed_input.date_value(),
            prescriber_name=self.prescriber_input.text(),
            guardian_name=self.guardian_name_input.text() if is_minor else "",
            guardian_relationship=self.guardian_relationship_input.text() if is_minor else "",
            witness_name=self.witness_input.text(),
        )

    def _on_save_button_clicked(self) -> None:
        draft = self.draft()
        if draft is None:
            return
        if problem := self._typed_problem(draft.signed_on):
            self.problems.show([problem])
            return
        try:
            self.result_record = record_consent_signature(
                self._ctx, draft, self.password_input.text()
            )
        except AuthenticationFailed as refused:
            self.problems.show([Problem("password", refused.user_message())])
            self.password_input.clear()
            return
        except ValidationFailed as refused:
            self.problems.show(refused.problems)
            return
        except IsoTrackError as error:
            self.problems.show_message(error.user_message())
            return
        self.accept()
