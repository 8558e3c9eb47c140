"""A dated dose change with its reason, previewed in capsules before it is saved."""

from dataclasses import replace
from decimal import Decimal
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

from desktop.rules.problems import Problem
from desktop.rules.units import format_weight, parse_mg_per_kg_day
from desktop.services.catalog.formulary import load_formulary
from desktop.services.context import Context
from desktop.services.course_dosing import change_dose
from desktop.services.course_records import CourseRecord, DoseChangeDraft
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.services.roles import Role
from desktop.ui.course.regimen_preview import PreviewRequest, RegimenPreview
from desktop.ui.field_problems import FieldProblems
from desktop.ui.widgets.date_input import DateInput

OVERRIDE_LABEL = "Prescriber &override: allow a dose above the labelled maximum"
NURSE_OVERRIDE_HINT = "Only a prescriber can override the maximum."
PROBLEM_FIELD_ALIASES = {"weight_kg": "mg_per_kg_day", "birth_date": "starts_on"}


class DoseChangeDialog(QDialog):
    """On a successful save `result_record` holds the course at its new version. If someone
    changed the course since it was opened, the save is refused with who and when."""

    def __init__(
        self,
        ctx: Context,
        course: CourseRecord,
        weight_kg: Decimal,
        parent: QWidget | None = None,
        *,
        mg_per_kg_day: str = "",
        product: str = "",
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._course = course
        self._weight_kg = weight_kg
        self.result_record: CourseRecord | None = None
        self.setWindowTitle(f"Change the dose: course {course.number}")
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self._make_inputs(mg_per_kg_day, product or course.product)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Change dose")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        for signal in (
            self.starts_on_input.date_edited,
            self.mg_per_kg_day_input.textChanged,
            self.product_input.currentIndexChanged,
            self.prescriber_override_input.toggled,
        ):
            signal.connect(self._on_inputs_changed)
        self._on_inputs_changed()

    def _make_inputs(self, mg_per_kg_day: str, product: str) -> None:
        self.weight_label = QLabel(f"Weight in use: {format_weight(self._weight_kg)}")
        self.weight_label.setObjectName("hint")
        self.starts_on_input = DateInput()
        self.starts_on_input.set_date(self._ctx.today())
        self.mg_per_kg_day_input = QLineEdit(mg_per_kg_day)
        self.mg_per_kg_day_input.setPlaceholderText("e.g. 1")
        self.product_input = QComboBox()
        for item in load_formulary().products:
            self.product_input.addItem(item.display_name, item.name)
        self.product_input.setCurrentIndex(max(self.product_input.findData(product), 0))
        self.reason_input = QLineEdit()
        self.reason_input.setPlaceholderText("e.g. tolerating well; increase as planned")
        self.prescriber_override_input = QCheckBox(OVERRIDE_LABEL)
        is_prescriber = self._ctx.actor.role is Role.PRESCRIBER
        self.prescriber_override_input.setEnabled(is_prescriber)
        if not is_prescriber:
            self.prescriber_override_input.setToolTip(NURSE_OVERRIDE_HINT)
        self.preview = RegimenPreview()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, field, widget in (
            ("&Starts on", "starts_on", self.starts_on_input),
            ("&mg/kg/day", "mg_per_kg_day", self.mg_per_kg_day_input),
            ("&Product", "product", self.product_input),
            ("&Reason", "reason", self.reason_input),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, self.problems.wrap(field, widget))
        override_box = self.problems.wrap("prescriber_override", self.prescriber_override_input)
        form.addRow("", override_box)
        form.addRow("New regimen", self.preview)
        layout = QVBoxLayout(self)
        layout.addWidget(self.weight_label)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain = (
            self.starts_on_input,
            self.mg_per_kg_day_input,
            self.product_input,
            self.reason_input,
            self.prescriber_override_input,
            self.save_button,
        )
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.setMinimumWidth(560)
        self.mg_per_kg_day_input.setFocus()

    @classmethod
    def ask(
        cls,
        ctx: Context,
        course: CourseRecord,
        weight_kg: Decimal,
        parent: QWidget | None = None,
        *,
        mg_per_kg_day: str = "",
        product: str = "",
    ) -> CourseRecord | None:
        dialog = cls(ctx, course, weight_kg, parent, mg_per_kg_day=mg_per_kg_day, product=product)
        dialog.exec()
        return dialog.result_record

    def _on_inputs_changed(self) -> None:
        self.preview.update_from(
            PreviewRequest(
                weight_kg=self._weight_kg,
                mg_per_kg_day=self.mg_per_kg_day_input.text(),
                product=self.product_input.currentData() or "",
                prescriber_override=self.prescriber_override_input.isChecked(),
            )
        )

    def draft(self) -> DoseChangeDraft:
        dose = parse_mg_per_kg_day(self.mg_per_kg_day_input.text())
        return DoseChangeDraft(
            course_id=self._course.id,
            course_version=self._course.version,
            starts_on=self.starts_on_input.date_value(),
            mg_per_kg_day=dose if isinstance(dose, Decimal) else None,
            product=self.product_input.currentData() or "",
            reason=self.reason_input.text(),
            prescriber_override=self.prescriber_override_input.isChecked(),
        )

    def _typing_problems(self) -> list[Problem]:
        found = []
        if message := self.starts_on_input.problem():
            found.append(Problem("starts_on", message))
        text = self.mg_per_kg_day_input.text()
        if text.strip() and isinstance(dose := parse_mg_per_kg_day(text), Problem):
            found.append(dose)
        return found

    def _on_save_button_clicked(self) -> None:
        if problems := self._typing_problems():
            self.problems.show(problems)
            return
        try:
            self.result_record = change_dose(self._ctx, self.draft())
        except ValidationFailed as refused:
            self.problems.show(
                replace(p, field=PROBLEM_FIELD_ALIASES.get(p.field, p.field))
                for p in refused.problems
            )
            return
        except IsoTrackError as error:  # StaleEdit names who changed the course and when
            self.problems.show_message(error.user_message())
            return
        self.accept()
