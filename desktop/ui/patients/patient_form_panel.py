"""The patient form's fields: what a nurse types for a new or edited patient."""

from datetime import date

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QSizePolicy,
    QWidget,
)

from desktop.rules.ages import age_on, is_minor_on
from desktop.rules.patients import (
    RISK_CATEGORY_EXPLANATIONS,
    PatientDraft,
    RiskCategory,
    SexAtBirth,
)
from desktop.rules.problems import Problem
from desktop.services.records import PatientRecord
from desktop.ui.field_problems import FieldProblems
from desktop.ui.patients.patients_table_model import NOT_YET_ASSIGNED, risk_category_label
from desktop.ui.widgets.date_input import DateInput

FIELD_LABELS = {
    "mrn": "&MRN",
    "legal_name": "&Legal name",
    "preferred_name": "P&referred name",
    "birth_date": "&Date of birth",
    "sex_at_birth": "&Sex assigned at birth",
    "risk_category": "iPLEDGE risk &category",
    "ipledge_patient_id": "iPLEDGE patient &ID",
    "phone": "&Phone",
    "email": "&Email",
    "allergies": "&Allergies",
    "has_retinoid_allergy": "Retinoid or vitamin A aller&gy",
    "is_pregnant_or_breastfeeding": "Currently pregnant or breast&feeding",
    "guardian_name": "Parent or g&uardian",
    "guardian_relationship": "Relations&hip to patient",
}
"""Form labels with their Alt-key mnemonics; the chart's history reuses them without '&'."""

NOT_ASSIGNED_EXPLANATION = "The prescriber assigns the category; it is never derived from sex."
HARD_STOP_NOTE = "Hard stop: isotretinoin must not be started or continued."


def field_title(field: str) -> str:
    """A patient field's label as plain text (no mnemonic), or the raw name if unknown."""
    return FIELD_LABELS.get(field, field).replace("&", "")


class PatientFormPanel(QWidget):
    """Fields, their problem labels, the live age, and the guardian rows that appear when
    the typed date of birth makes the patient a minor on `today`."""

    def __init__(self, error_label: QLabel, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._today = today
        self.problems = FieldProblems(error_label)
        self._make_inputs()
        self.form = QFormLayout(self)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._add_rows()
        self.birth_date_input.date_edited.connect(self._on_birth_date_input_date_edited)
        self.risk_category_input.currentIndexChanged.connect(self._on_risk_category_changed)
        self.pregnant_input.toggled.connect(self.hard_stop_label.setVisible)
        self._on_birth_date_input_date_edited(None)
        self._on_risk_category_changed()

    def _make_inputs(self) -> None:
        self.mrn_input = QLineEdit()
        self.legal_name_input = QLineEdit()
        self.preferred_name_input = QLineEdit()
        self.preferred_name_input.setPlaceholderText("Only if it differs from the legal name")
        self.birth_date_input = DateInput()
        self.age_label = QLabel()
        self.sex_input = QComboBox()
        self.sex_input.addItem("Choose…", "")
        for sex in SexAtBirth:
            self.sex_input.addItem(sex.value.capitalize(), sex.value)
        self.risk_category_input = QComboBox()
        self.risk_category_input.addItem(NOT_YET_ASSIGNED, "")
        for category in RiskCategory:
            self.risk_category_input.addItem(risk_category_label(category), category.value)
        self.risk_explanation_label = QLabel()
        self.risk_explanation_label.setObjectName("hint")
        self.risk_explanation_label.setWordWrap(True)
        self.ipledge_id_input = QLineEdit()
        self.phone_input = QLineEdit()
        self.email_input = QLineEdit()
        self.allergies_input = QPlainTextEdit()
        self.allergies_input.setTabChangesFocus(True)
        self.allergies_input.setFixedHeight(64)
        self.retinoid_allergy_input = QCheckBox(FIELD_LABELS["has_retinoid_allergy"])
        self.pregnant_input = QCheckBox(FIELD_LABELS["is_pregnant_or_breastfeeding"])
        self.pregnant_input.setObjectName("hardStop")
        for box in (self.retinoid_allergy_input, self.pregnant_input):
            # Only the box and its words take the click, so the widget need not be wider.
            box.setSizePolicy(QSizePolicy.Policy.Maximum, QSizePolicy.Policy.Fixed)
        self.hard_stop_label = QLabel(HARD_STOP_NOTE)
        self.hard_stop_label.setObjectName("error")
        self.hard_stop_label.hide()
        self.guardian_name_input = QLineEdit()
        self.guardian_relationship_input = QLineEdit()
        self.guardian_relationship_input.setPlaceholderText("e.g. mother, father, legal guardian")

    def _field_row(self, field: str, widget: QWidget, shown: QWidget | None = None) -> QWidget:
        label = QLabel(FIELD_LABELS[field])
        label.setBuddy(widget)
        box = self.problems.wrap(field, shown or widget)
        self.form.addRow(label, box)
        return box

    def _add_rows(self) -> None:
        date_row = QWidget()
        date_layout = QHBoxLayout(date_row)
        date_layout.setContentsMargins(0, 0, 0, 0)
        date_layout.addWidget(self.birth_date_input)
        date_layout.addWidget(self.age_label, 1)
        date_row.setFocusProxy(self.birth_date_input)
        self._field_row("mrn", self.mrn_input)
        self._field_row("legal_name", self.legal_name_input)
        self._field_row("preferred_name", self.preferred_name_input)
        self._field_row("birth_date", self.birth_date_input, date_row)
        self._field_row("sex_at_birth", self.sex_input)
        self._field_row("risk_category", self.risk_category_input)
        self.form.addRow("", self.risk_explanation_label)
        self._field_row("ipledge_patient_id", self.ipledge_id_input)
        self._field_row("phone", self.phone_input)
        self._field_row("email", self.email_input)
        self._field_row("allergies", self.allergies_input)
        self.form.addRow("", self.retinoid_allergy_input)
        self.form.addRow("Pregnancy", self.pregnant_input)
        self.form.addRow("", self.hard_stop_label)
        self._guardian_rows = (
            self._field_row("guardian_name", self.guardian_name_input),
            self._field_row("guardian_relationship", self.guardian_relationship_input),
        )

    def tab_chain(self) -> tuple[QWidget, ...]:
        return (
            self.mrn_input, self.legal_name_input, self.preferred_name_input,
            self.birth_date_input, self.sex_input, self.risk_category_input,
            self.ipledge_id_input, self.phone_input, self.email_input, self.allergies_input,
            self.retinoid_allergy_input, self.pregnant_input, self.guardian_name_input,
            self.guardian_relationship_input,
        )  # fmt: skip

    def _on_birth_date_input_date_edited(self, born: date | None) -> None:
        is_minor = born is not None and born <= self._today and is_minor_on(born, self._today)
        if born is None or born > self._today:
            self.age_label.setText("")
        elif is_minor:
            age = age_on(born, self._today)
            self.age_label.setText(f"Age {age}: a parent or guardian signs the consents")
        else:
            self.age_label.setText(f"Age {age_on(born, self._today)}")
        has_guardian = bool(
            self.guardian_name_input.text().strip()
            or self.guardian_relationship_input.text().strip()
        )
        for row in self._guardian_rows:
            self.form.setRowVisible(row, is_minor or has_guardian)

    def _on_risk_category_changed(self) -> None:
        value = self.risk_category_input.currentData()
        explanation = (
            RISK_CATEGORY_EXPLANATIONS[RiskCategory(value)] if value else NOT_ASSIGNED_EXPLANATION
        )
        self.risk_explanation_label.setText(explanation)

    def date_problem(self) -> Problem | None:
        """A date that could not be read; checked before the service sees a blank date."""
        message = self.birth_date_input.problem()
        return Problem("birth_date", message) if message else None

    def draft(self) -> PatientDraft:
        sex = self.sex_input.currentData()
        category = self.risk_category_input.currentData()
        return PatientDraft(
            mrn=self.mrn_input.text(),
            legal_name=self.legal_name_input.text(),
            birth_date=self.birth_date_input.date_value(),
            sex_at_birth=SexAtBirth(sex) if sex else None,
            risk_category=RiskCategory(category) if category else None,
            preferred_name=self.preferred_name_input.text(),
            ipledge_patient_id=self.ipledge_id_input.text(),
            phone=self.phone_input.text(),
            email=self.email_input.text(),
            allergies=self.allergies_input.toPlainText(),
            has_retinoid_allergy=self.retinoid_allergy_input.isChecked(),
            is_pregnant_or_breastfeeding=self.pregnant_input.isChecked(),
            guardian_name=self.guardian_name_input.text(),
            guardian_relationship=self.guardian_relationship_input.text(),
        )

    def set_record(self, record: PatientRecord) -> None:
        self.mrn_input.setText(record.mrn)
        self.legal_name_input.setText(record.legal_name)
        self.preferred_name_input.setText(record.preferred_name)
        self.guardian_name_input.setText(record.guardian_name)
        self.guardian_relationship_input.setText(record.guardian_relationship)
        self.birth_date_input.set_date(record.birth_date)
        self.sex_input.setCurrentIndex(self.sex_input.findData(record.sex_at_birth.value))
        category = record.risk_category.value if record.risk_category else ""
        self.risk_category_input.setCurrentIndex(self.risk_category_input.findData(category))
        self.ipledge_id_input.setText(record.ipledge_patient_id)
        self.phone_input.setText(record.phone)
        self.email_input.setText(record.email)
        self.allergies_input.setPlainText(record.allergies)
        self.retinoid_allergy_input.setChecked(record.has_retinoid_allergy)
        self.pregnant_input.setChecked(record.is_pregnant_or_breastfeeding)
