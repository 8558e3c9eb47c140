"""Try another mg/kg/day or product at the current weight, without saving anything."""

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.units import format_weight
from desktop.services.catalog.formulary import load_formulary
from desktop.ui.course.regimen_preview import PreviewRequest, RegimenPreview

NO_WEIGHT = "No weight recorded yet."


class DoseCalculatorPanel(QGroupBox):
    """A pure preview through the dose calculator. Emits `apply_requested(mg_per_kg_day
    text, product name)` when the nurse asks to make it a dated dose change."""

    apply_requested = Signal(str, str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Dose calculator (not saved)", parent)
        self._weight_kg: Decimal | None = None
        self.weight_label = QLabel(NO_WEIGHT)
        self.weight_label.setObjectName("hint")
        self.mg_per_kg_day_input = QLineEdit()
        self.mg_per_kg_day_input.setPlaceholderText("e.g. 1")
        self.product_input = QComboBox()
        for product in load_formulary().products:
            self.product_input.addItem(product.display_name, product.name)
        self.preview = RegimenPreview()
        self.apply_button = QPushButton("&Apply as dose change…")
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for text, widget in (
            ("Tr&y mg/kg/day", self.mg_per_kg_day_input),
            ("&Product", self.product_input),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.weight_label)
        layout.addLayout(form)
        layout.addWidget(self.preview)
        layout.addStretch(1)
        layout.addWidget(self.apply_button)
        self.setTabOrder(self.mg_per_kg_day_input, self.product_input)
        self.setTabOrder(self.product_input, self.apply_button)
        self.mg_per_kg_day_input.textChanged.connect(self._on_inputs_changed)
        self.product_input.currentIndexChanged.connect(self._on_inputs_changed)
        self.apply_button.clicked.connect(self._on_apply_button_clicked)

    def set_basis(self, weight_kg: Decimal | None, product: str) -> None:
        """The course's current weight and product; what was typed is kept."""
        self._weight_kg = weight_kg
        self.weight_label.setText(
            f"At the current weight, {format_weight(weight_kg)}" if weight_kg else NO_WEIGHT
        )
        if not self.mg_per_kg_day_input.text().strip():
            self.product_input.setCurrentIndex(max(self.product_input.findData(product), 0))
        self._on_inputs_changed()

    def _on_inputs_changed(self) -> None:
        self.preview.update_from(
            PreviewRequest(
                weight_kg=self._weight_kg,
                mg_per_kg_day=self.mg_per_kg_day_input.text(),
                product=self.product_input.currentData() or "",
            )
        )

    def _on_apply_button_clicked(self) -> None:
        self.apply_requested.emit(
            self.mg_per_kg_day_input.text(), self.product_input.currentData() or ""
        )
