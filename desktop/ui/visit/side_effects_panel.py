"""The side-effect checklist (domain.md §4.1): tick what the patient reports, then say how
severe; the stop-and-call effects stand apart, in red."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QCheckBox, QComboBox, QGridLayout, QGroupBox, QLabel, QWidget

from desktop.rules.problems import Problem
from desktop.rules.side_effects import (
    SIDE_EFFECT_LABELS,
    STOP_AND_CALL,
    EffectSeverity,
    ReportedEffect,
    SideEffect,
)

CHOOSE_SEVERITY = "How severe?"
STOP_AND_CALL_HEADING = "Stop and call: tell the prescriber today"
COMMON_HEADING = "Common"


def severity_problem(effect: SideEffect) -> Problem:
    return Problem("side_effects", f"Choose how severe “{SIDE_EFFECT_LABELS[effect]}” is.")


class SideEffectsPanel(QGroupBox):
    """Emits `effects_changed` when a box is ticked or a severity chosen. A severity box
    shows only while its effect is ticked, so Tab skips the ones not needed."""

    effects_changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("Side &effects since the last visit", parent)
        self.checkboxes: dict[SideEffect, QCheckBox] = {}
        self.severity_inputs: dict[SideEffect, QComboBox] = {}
        grid = QGridLayout(self)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(2, 1)
        common_heading = QLabel(COMMON_HEADING)
        common_heading.setObjectName("hint")
        urgent_heading = QLabel(STOP_AND_CALL_HEADING)
        urgent_heading.setObjectName("error")
        grid.addWidget(common_heading, 0, 0, 1, 2)
        grid.addWidget(urgent_heading, 0, 2, 1, 2)
        common = [e for e in SideEffect if e not in STOP_AND_CALL]
        urgent = [e for e in SideEffect if e in STOP_AND_CALL]
        for column, effects in ((0, common), (2, urgent)):
            for row, effect in enumerate(effects, start=1):
                self._add_effect(grid, row, column, effect)
            # Severity boxes appear when ticked; the column keeps its width meanwhile.
            width = self.severity_inputs[effects[0]].sizeHint().width()
            grid.setColumnMinimumWidth(column + 1, width)

    def _add_effect(self, grid: QGridLayout, row: int, column: int, effect: SideEffect) -> None:
        checkbox = QCheckBox(SIDE_EFFECT_LABELS[effect])
        if effect in STOP_AND_CALL:
            checkbox.setObjectName("hardStop")
            checkbox.setToolTip(STOP_AND_CALL_HEADING)
        severity = QComboBox()
        severity.addItem(CHOOSE_SEVERITY, None)
        for level in EffectSeverity:
            severity.addItem(level.value.capitalize(), level.value)
        severity.setVisible(False)
        severity.setAccessibleName(f"Severity of {SIDE_EFFECT_LABELS[effect]}")
        checkbox.toggled.connect(severity.setVisible)
        checkbox.toggled.connect(self._on_input_changed)
        severity.currentIndexChanged.connect(self._on_input_changed)
        grid.addWidget(checkbox, row, column)
        grid.addWidget(severity, row, column + 1)
        self.checkboxes[effect] = checkbox
        self.severity_inputs[effect] = severity
        if len(self.checkboxes) == 1:
            self.setFocusProxy(checkbox)

    def _on_input_changed(self) -> None:
        self.effects_changed.emit()

    def ticked(self) -> tuple[SideEffect, ...]:
        return tuple(e for e, box in self.checkboxes.items() if box.isChecked())

    def reported(self) -> tuple[ReportedEffect, ...]:
        """Ticked effects with a chosen severity (see `problems` for those without)."""
        return tuple(
            ReportedEffect(effect, EffectSeverity(value))
            for effect in self.ticked()
            if (value := self.severity_inputs[effect].currentData())
        )

    def urgent_ticked(self) -> tuple[SideEffect, ...]:
        return tuple(e for e in self.ticked() if e in STOP_AND_CALL)

    def problems(self) -> list[Problem]:
        return [
            severity_problem(effect)
            for effect in self.ticked()
            if not self.severity_inputs[effect].currentData()
        ]

    def first_missing_severity(self) -> QComboBox | None:
        missing = [e for e in self.ticked() if not self.severity_inputs[e].currentData()]
        return self.severity_inputs[missing[0]] if missing else None

    def tab_chain(self) -> tuple[QWidget, ...]:
        """Column by column, each box followed by its severity."""
        chain: list[QWidget] = []
        for effect in sorted(self.checkboxes, key=lambda e: e in STOP_AND_CALL):
            chain += [self.checkboxes[effect], self.severity_inputs[effect]]
        return tuple(chain)
