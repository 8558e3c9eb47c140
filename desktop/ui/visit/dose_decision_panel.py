"""The visit's dose decision: continue, or change to a new mg/kg/day (with product and
reason), previewed in capsules at the weight taken at this visit."""

from decimal import Decimal

from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLineEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.problems import Problem
from desktop.rules.units import parse_mg_per_kg_day
from desktop.services.catalog.formulary import load_formulary
from desktop.services.roles import Role
from desktop.services.visits import VisitDoseChange
from desktop.ui.course.dose_change_dialog import NURSE_OVERRIDE_HINT, OVERRIDE_LABEL
from desktop.ui.course.regimen_preview import PreviewRequest, RegimenPreview
from desktop.ui.field_problems import FieldProblems


class DoseDecisionPanel(QGroupBox):
    """The change fields show only when "Change the dose" is chosen; their problems appear
    beside them through the dialog's `FieldProblems`."""

    def __init__(
        self,
        problems: FieldProblems,
        *,
        role: Role,
        product: str,
        current_regimen: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__("Dose decision", parent)
        self._weight_kg: Decimal | None = None
        self.continue_input = QRadioButton(f"&Continue the current dose: {current_regimen}")
        self.continue_input.setChecked(True)
        self.change_input = QRadioButton("C&hange the dose")
        group = QButtonGroup(self)
        group.addButton(self.continue_input)
        group.addButton(self.change_input)
        self.mg_per_kg_day_input = QLineEdit()
        self.mg_per_kg_day_input.setPlaceholderText("e.g. 1")
        self.product_input = QComboBox()
        for item in load_formulary().products:
            self.product_input.addItem(item.display_name, item.name)
        self.product_input.setCurrentIndex(max(self.product_input.findData(product), 0))
        self.reason_input = QLineEdit()
        self.reason_input.setPlaceholderText("e.g. tolerating well; increase as planned")
        self.prescriber_override_input = QCheckBox(OVERRIDE_LABEL)
        self.prescriber_override_input.setEnabled(role is Role.PRESCRIBER)
        if role is not Role.PRESCRIBER:
            self.prescriber_override_input.setToolTip(NURSE_OVERRIDE_HINT)
        self.preview = RegimenPreview()
        self.change_box = self._change_fields(problems)
        layout = QVBoxLayout(self)
        layout.addWidget(self.continue_input)
        layout.addWidget(self.change_input)
        layout.addWidget(self.change_box)
        self.setFocusProxy(self.continue_input)
        self.change_input.toggled.connect(self._on_inputs_changed)
        self.mg_per_kg_day_input.textChanged.connect(self._on_inputs_changed)
        self.product_input.currentIndexChanged.connect(self._on_inputs_changed)
        self.prescriber_override_input.toggled.connect(self._on_inputs_changed)
        self._on_inputs_changed()

    def _change_fields(self, problems: FieldProblems) -> QWidget:
        box = QWidget()
        form = QFormLayout(box)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        problems.add_rows(
            form,
            (
                ("New mg/kg/da&y", "mg_per_kg_day", self.mg_per_kg_day_input),
                ("Produc&t", "product", self.product_input),
                ("&Reason", "reason", self.reason_input),
            ),
        )
        form.addRow("", problems.wrap("prescriber_override", self.prescriber_override_input))
        form.addRow("New regimen", self.preview)
        return box

    def set_weight(self, weight_kg: Decimal | None) -> None:
        self._weight_kg = weight_kg
        self._on_inputs_changed()

    def is_change(self) -> bool:
        return self.change_input.isChecked()

    def dose_change(self) -> VisitDoseChange | None:
        if not self.is_change():
            return None
        dose = parse_mg_per_kg_day(self.mg_per_kg_day_input.text())
        return VisitDoseChange(
            mg_per_kg_day=dose if isinstance(dose, Decimal) else None,
            product=self.product_input.currentData() or "",
            reason=self.reason_input.text(),
            prescriber_override=self.prescriber_override_input.isChecked(),
        )

    def problems(self) -> list[Problem]:
        """What cannot be read as typed (the service checks the rest)."""
        if not self.is_change():
            return []
        if not self.mg_per_kg_day_input.text().strip():
            return [Problem("mg_per_kg_day", "Enter the new mg/kg/day.")]
        dose = parse_mg_per_kg_day(self.mg_per_kg_day_input.text())
        return [dose] if isinstance(dose, Problem) else []

    def _on_inputs_changed(self) -> None:
        self.change_box.setVisible(self.is_change())
        self.preview.update_from(
            PreviewRequest(
                weight_kg=self._weight_kg,
                mg_per_kg_day=self.mg_per_kg_day_input.text(),
                product=self.product_input.currentData() or "",
                prescriber_override=self.prescriber_override_input.isChecked(),
            )
        )

    def tab_chain(self) -> tuple[QWidget, ...]:
        return (
            self.continue_input,
            self.change_input,
            self.mg_per_kg_day_input,
            self.product_input,
            self.reason_input,
            self.prescriber_override_input,
        )
