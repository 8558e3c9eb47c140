"""A live, unsaved preview of the regimen for a weight, a mg/kg/day and a product."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from desktop.rules.dosing import Regimen
from desktop.rules.problems import Problem
from desktop.rules.units import format_decimal, parse_mg_per_kg_day
from desktop.services.dosing import calculate_regimen
from desktop.services.errors import ValidationFailed
from desktop.ui.course.regimen_text import doses_capsules_text, doses_text, warning_text

NEEDS_WEIGHT = "Enter the weight to see the regimen."
NEEDS_DOSE = "Enter the mg/kg/day to see the regimen."


@dataclass(frozen=True, slots=True)
class PreviewRequest:
    """What the form holds right now; `mg_per_kg_day` is the text as typed."""

    weight_kg: Decimal | None
    mg_per_kg_day: str
    product: str
    prescriber_override: bool = False
    birth_date: date | None = None
    on: date | None = None


class RegimenPreview(QWidget):
    """Calls the pure calculator (nothing is saved) and shows the regimen in capsules, the
    achieved mg/kg/day and every warning, or why no regimen can be worked out."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.regimen: Regimen | None = None
        self.regimen_label = QLabel()
        self.regimen_label.setObjectName("heading")
        self.capsules_label = QLabel()
        self.achieved_label = QLabel()
        self.food_label = QLabel()
        self.food_label.setObjectName("hint")
        self.food_label.setWordWrap(True)
        self.warnings_label = QLabel()
        self.warnings_label.setObjectName("fieldProblem")
        self.warnings_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        for label in (
            self.regimen_label,
            self.capsules_label,
            self.achieved_label,
            self.food_label,
            self.warnings_label,
        ):
            layout.addWidget(label)
        self.show_hint(NEEDS_WEIGHT)

    def update_from(self, request: PreviewRequest) -> Regimen | None:
        """Recalculate for `request`; returns the regimen shown, or None."""
        if request.weight_kg is None:
            self.show_hint(NEEDS_WEIGHT)
            return None
        if not request.mg_per_kg_day.strip():
            self.show_hint(NEEDS_DOSE)
            return None
        dose = parse_mg_per_kg_day(request.mg_per_kg_day)
        if isinstance(dose, Problem):
            self.show_hint(dose.message, is_problem=True)
            return None
        try:
            regimen = calculate_regimen(
                weight_kg=request.weight_kg,
                mg_per_kg_day=dose,
                product=request.product,
                prescriber_override=request.prescriber_override,
                birth_date=request.birth_date if request.on else None,
                on=request.on if request.birth_date else None,
            )
        except ValidationFailed as refused:
            self.show_hint(refused.user_message(), is_problem=True)
            return None
        self.show_regimen(regimen)
        return regimen

    def show_regimen(self, regimen: Regimen) -> None:
        self.regimen = regimen
        self.regimen_label.setText(f"{doses_text(regimen.doses)} = {regimen.mg_per_day} mg/day")
        self.capsules_label.setText(doses_capsules_text(regimen.doses))
        requested = format_decimal(regimen.request.mg_per_kg_day)
        self.achieved_label.setText(
            f"Achieved {regimen.achieved_mg_per_kg_day} mg/kg/day (asked for {requested})"
        )
        self.food_label.setText(regimen.product.food_instruction)
        self.warnings_label.setText("\n".join(warning_text(w) for w in regimen.warnings))
        self.capsules_label.show()
        self.achieved_label.show()
        self.food_label.show()
        self.warnings_label.setVisible(bool(regimen.warnings))

    def show_hint(self, message: str, *, is_problem: bool = False) -> None:
        """No regimen: `message` says what is missing (grey) or wrong (red)."""
        self.regimen = None
        self.regimen_label.setText("No regimen yet")
        shown, hidden = (
            (self.warnings_label, self.food_label)
            if is_problem
            else (self.food_label, self.warnings_label)
        )
        for label in (self.capsules_label, self.achieved_label, hidden):
            label.clear()
            label.hide()
        shown.setText(message)
        shown.show()
