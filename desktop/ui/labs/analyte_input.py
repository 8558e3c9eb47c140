"""One analyte of a lab report: its value, its unit, and the lab's own reference range in that
unit, read exactly as typed (domain.md §3.4: "always store the lab's own reference range")."""

import re
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.rules.lab_analytes import (
    UNIT_LABELS,
    AnalyteResult,
    AnalyteSpec,
    LabUnit,
    value_field,
)
from desktop.rules.problems import Problem

NUMBER_PROBLEM = "Type a number, e.g. 182 or 2.05."
RANGE_WITHOUT_VALUE = "Type the value, or clear the lab's range."
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
"""ASCII digits and one decimal point. Decimal() alone also took "1e999999" (whose mmol/L
conversion then overflowed), "1_000" and non-ASCII digits. A sign reaches the service,
which explains why a value cannot be negative."""
RANGE_TOOLTIP = "The reference range printed on the lab report; leave a limit blank if none"


def read_number(text: str, field: str) -> Decimal | Problem | None:
    """Blank is None; anything else must be a plain number, never guessed or rounded."""
    text = text.strip()
    if not text:
        return None
    if _PLAIN_NUMBER.fullmatch(text) is None:
        return Problem(field, NUMBER_PROBLEM)
    return Decimal(text)


class AnalyteInput(QWidget):
    """Value, unit (a choice only where labs report the analyte in several units), then the
    lab's range from `lower_edit` to `upper_edit`. Focus lands in the value, so the row's
    label mnemonic goes there; Tab then visits unit, lower and upper limit."""

    def __init__(self, spec: AnalyteSpec, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.spec = spec
        self.value_edit = QLineEdit()
        self.unit_input: QComboBox | None = None
        self.lower_edit = QLineEdit()
        self.upper_edit = QLineEdit()
        for edit, width, what in (
            (self.value_edit, 110, "value"),
            (self.lower_edit, 80, "lowest normal"),
            (self.upper_edit, 80, "highest normal"),
        ):
            edit.setMaximumWidth(width)
            edit.setAccessibleName(f"{spec.name}: {what}")
        for edit in (self.lower_edit, self.upper_edit):
            edit.setToolTip(RANGE_TOOLTIP)
        self.lower_edit.setPlaceholderText("low")
        self.upper_edit.setPlaceholderText("high")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.value_edit)
        if len(spec.units) > 1:
            self.unit_input = QComboBox()
            for unit in spec.units:
                self.unit_input.addItem(UNIT_LABELS[unit], unit.value)
            self.unit_input.setAccessibleName(f"{spec.name}: unit")
            layout.addWidget(self.unit_input)
        else:
            layout.addWidget(QLabel(UNIT_LABELS[spec.usual_unit]))
        layout.addWidget(QLabel("  lab's range"))
        layout.addWidget(self.lower_edit)
        layout.addWidget(QLabel("to"))
        layout.addWidget(self.upper_edit)
        layout.addStretch(1)
        self.setFocusProxy(self.value_edit)
        # A label's Alt+letter focuses its buddy only if the buddy takes focus itself; the
        # proxy hands it to the value. Tab never stops here: Qt skips a widget with a proxy.
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)

    def tab_chain(self) -> tuple[QWidget, ...]:
        unit = () if self.unit_input is None else (self.unit_input,)
        return (self.value_edit, *unit, self.lower_edit, self.upper_edit)

    def unit(self) -> LabUnit:
        if self.unit_input is None:
            return self.spec.usual_unit
        return LabUnit(self.unit_input.currentData())

    def set_unit(self, unit: LabUnit) -> None:
        if self.unit_input is not None:
            self.unit_input.setCurrentIndex(self.unit_input.findData(unit.value))

    def result(self) -> AnalyteResult | Problem | None:
        """What the row says: nothing when it is blank, else the value with its unit and
        range, or the first problem in it (a problem anywhere in the row is shown under it,
        under the value's field name)."""
        analyte = self.spec.analyte
        row = value_field(analyte)
        numbers: list[Decimal | None] = []
        for edit in (self.value_edit, self.lower_edit, self.upper_edit):
            number = read_number(edit.text(), row)
            if isinstance(number, Problem):
                return number
            numbers.append(number)
        value, low, high = numbers
        if value is None:
            return None if low is None and high is None else Problem(row, RANGE_WITHOUT_VALUE)
        return AnalyteResult(analyte, value, self.unit(), low, high)
