"""A typed weight in kg or lb, read exactly and shown in both units as it is typed.

The text is read by `parse_weight` (domain.md §6 Weight): a decimal comma is accepted, a
unit typed after the number ("160 lb") wins over the unit chosen beside the box, and
nothing is rounded; only the echo below the box is shown to 0.1.
"""

from decimal import Decimal

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.rules.problems import Problem
from desktop.rules.units import Weight, WeightUnit, format_decimal, format_weight, parse_weight


class WeightInput(QWidget):
    """Emits `weight_edited` with the new `Weight | None` whenever the text or unit changes.
    Use the widget itself as a form label's buddy: focus goes to the number box."""

    weight_edited = Signal(object)

    def __init__(
        self,
        parent: QWidget | None = None,
        *,
        field: str = "weight",
        unit: WeightUnit = WeightUnit.KG,
    ) -> None:
        super().__init__(parent)
        self._field = field
        self.number_edit = QLineEdit()
        self.number_edit.setPlaceholderText("e.g. 72.5")
        # No maxLength: Qt cuts longer text silently ("160 <spaces> lb" became 160 kg).
        self.unit_input = QComboBox()
        for choice in WeightUnit:
            self.unit_input.addItem(choice.value, choice.value)
        self.unit_input.setCurrentIndex(self.unit_input.findData(unit.value))
        self.unit_input.setAccessibleName("Weight unit")
        self.both_units_label = QLabel()
        self.both_units_label.setObjectName("hint")
        self.both_units_label.setWordWrap(True)
        row = QHBoxLayout()
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.number_edit, 1)
        row.addWidget(self.unit_input)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addLayout(row)
        layout.addWidget(self.both_units_label)
        self.setFocusProxy(self.number_edit)
        self.setTabOrder(self.number_edit, self.unit_input)
        self.number_edit.textChanged.connect(self._on_input_changed)
        self.unit_input.currentIndexChanged.connect(self._on_input_changed)
        self._on_input_changed()

    def _parsed(self) -> Weight | Problem | None:
        if not self.number_edit.text().strip():
            return None
        return parse_weight(self.number_edit.text(), self.default_unit(), field=self._field)

    def default_unit(self) -> WeightUnit:
        """The unit chosen beside the box (a unit typed in the text overrides it)."""
        return WeightUnit(self.unit_input.currentData())

    def weight(self) -> Weight | None:
        parsed = self._parsed()
        return parsed if isinstance(parsed, Weight) else None

    def value(self) -> Decimal | None:
        """The number as typed (in `unit()`), for a draft; None if blank or unreadable."""
        parsed = self.weight()
        return parsed.entered if parsed else None

    def unit(self) -> WeightUnit:
        """The unit the typed number is in: the one typed in the text, else the chosen one."""
        parsed = self.weight()
        return parsed.entered_unit if parsed else self.default_unit()

    def problem(self) -> Problem | None:
        """Why the typed text is not a weight; None when blank (the form decides whether a
        weight is required) or when it reads."""
        parsed = self._parsed()
        return parsed if isinstance(parsed, Problem) else None

    def set_weight(self, value: Decimal | None, unit: WeightUnit = WeightUnit.KG) -> None:
        self.unit_input.setCurrentIndex(self.unit_input.findData(unit.value))
        self.number_edit.setText("" if value is None else format_decimal(value))

    def _show_unit(self, unit: WeightUnit) -> None:
        """A unit typed in the text ("160 lb") is echoed in the unit box, so the two never
        disagree on screen; the box's own signal is held back (the text has not changed)."""
        if unit is not self.default_unit():
            blocked = self.unit_input.blockSignals(True)
            self.unit_input.setCurrentIndex(self.unit_input.findData(unit.value))
            self.unit_input.blockSignals(blocked)

    def _on_input_changed(self) -> None:
        parsed = self._parsed()
        if isinstance(parsed, Weight):
            self._show_unit(parsed.entered_unit)
            self.both_units_label.setText(format_weight(parsed.weight_kg))
        elif isinstance(parsed, Problem):
            self.both_units_label.setText(parsed.message)
        else:
            self.both_units_label.setText("Type the weight in kg or lb; both are shown here.")
        self.weight_edited.emit(parsed if isinstance(parsed, Weight) else None)
