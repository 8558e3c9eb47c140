"""Order a lab panel or record its draw and results: each analyte of the panel with its value,
its unit and the lab's own reference range, as printed on the report (domain.md §3.4)."""

from collections.abc import Sequence

from PySide6.QtWidgets import QComboBox, QLabel, QWidget

from desktop.rules.lab_analytes import (
    CATALOGUE,
    PANEL_ANALYTES,
    PANEL_LABELS,
    Analyte,
    AnalyteResult,
    LabPanel,
    LabResults,
)
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.labs import LabEntryDraft, LabRecord, record_lab
from desktop.ui.ipledge.step_dialog import StepDialog, chosen
from desktop.ui.labs.analyte_input import AnalyteInput
from desktop.ui.widgets.date_input import DateInput

ROW_LABELS = {
    Analyte.ALT: "&ALT",
    Analyte.AST: "A&ST",
    Analyte.ALP: "A&LP",
    Analyte.TOTAL_BILIRUBIN: "Total &bilirubin",
    Analyte.TOTAL_CHOLESTEROL: "Total &cholesterol",
    Analyte.LDL: "&LDL cholesterol",
    Analyte.HDL: "&HDL cholesterol",
    Analyte.TRIGLYCERIDES: "&Triglycerides",
    Analyte.WBC: "&White cells (WBC)",
    Analyte.HEMOGLOBIN: "&Haemoglobin",
    Analyte.PLATELETS: "P&latelets",
}
"""Row labels with their Alt-key letters: unique among the rows shown for one panel, beside
&Panel, &Ordered on and &Drawn on (a hidden row's letter does nothing)."""


class LabEntryDialog(StepDialog[LabEntryDraft, LabRecord]):
    """Only the values of the chosen panel are sent; `result_record` carries the flags. The
    analyte rows are `<analyte>_input` (`alt_input.value_edit`, `.lower_edit`, …)."""

    def __init__(
        self,
        ctx: Context,
        course_id: int,
        parent: QWidget | None = None,
        panel: LabPanel = LabPanel.LIPIDS,
    ) -> None:
        super().__init__(ctx, course_id, "Order / record lab", parent)
        self.panel_input = QComboBox()
        for choice in LabPanel:
            self.panel_input.addItem(PANEL_LABELS[choice].capitalize(), choice.value)
        self.panel_input.setCurrentIndex(self.panel_input.findData(panel.value))
        self.ordered_input = DateInput()
        self.ordered_input.set_date(ctx.today())
        self.drawn_input = DateInput()
        self.analyte_inputs = {spec.analyte: AnalyteInput(spec) for spec in CATALOGUE}
        rows = self.analyte_inputs
        self.alt_input, self.ast_input = rows[Analyte.ALT], rows[Analyte.AST]
        self.alp_input = rows[Analyte.ALP]
        self.total_bilirubin_input = rows[Analyte.TOTAL_BILIRUBIN]
        self.total_cholesterol_input = rows[Analyte.TOTAL_CHOLESTEROL]
        self.ldl_input, self.hdl_input = rows[Analyte.LDL], rows[Analyte.HDL]
        self.triglycerides_input = rows[Analyte.TRIGLYCERIDES]
        self.wbc_input, self.hemoglobin_input = rows[Analyte.WBC], rows[Analyte.HEMOGLOBIN]
        self.platelets_input = rows[Analyte.PLATELETS]
        self.no_values_label = QLabel(
            "Leave the values blank to record an order; the lab's range is optional."
        )
        self.no_values_label.setObjectName("hint")
        self.no_values_label.setWordWrap(True)
        self._lay_out()
        self.panel_input.currentIndexChanged.connect(self._on_panel_input_changed)
        self._on_panel_input_changed()

    def unit_inputs(self) -> list[QComboBox]:
        """The unit choices of every analyte reported in more than one unit."""
        return [box.unit_input for box in self.analyte_inputs.values() if box.unit_input]

    def _lay_out(self) -> None:
        self.row("panel", "&Panel", self.panel_input)
        self.row("ordered_on", "&Ordered on", self.ordered_input)
        self.row("drawn_on", "&Drawn on", self.drawn_input)
        self._value_rows = {
            analyte: self.row(analyte.value, ROW_LABELS[analyte], box)
            for analyte, box in self.analyte_inputs.items()
        }
        self.form.addRow("", self.no_values_label)
        chain: list[QWidget] = [self.panel_input, self.ordered_input, self.drawn_input]
        for box in self.analyte_inputs.values():
            chain += box.tab_chain()
        self.finish_layout(chain)
        self.drawn_input.setFocus()
        self.setMinimumWidth(600)

    @classmethod
    def ask(
        cls,
        ctx: Context,
        course_id: int,
        parent: QWidget | None = None,
        panel: LabPanel = LabPanel.LIPIDS,
    ) -> LabRecord | None:
        dialog = cls(ctx, course_id, parent, panel)
        dialog.exec()
        return dialog.result_record

    def _panel(self) -> LabPanel:
        return chosen(self.panel_input, LabPanel) or LabPanel.LIPIDS

    def _on_panel_input_changed(self) -> None:
        shown = PANEL_ANALYTES[self._panel()]
        for analyte, row in self._value_rows.items():
            self.form.setRowVisible(row, analyte in shown)

    def placed(self, problems: Sequence[Problem]) -> tuple[Problem, ...]:
        """A limit's problem ("alt.upper_limit") shows under its analyte's row."""
        return tuple(Problem(p.field.split(".")[0], p.message) for p in problems)

    def typed(self) -> LabEntryDraft | Problem:
        for field, box in (("ordered_on", self.ordered_input), ("drawn_on", self.drawn_input)):
            if problem := box.problem():
                return Problem(field, problem)
        panel = self._panel()
        results: list[AnalyteResult] = []
        for analyte in PANEL_ANALYTES[panel]:
            typed = self.analyte_inputs[analyte].result()
            if isinstance(typed, Problem):
                return typed
            if typed is not None:
                results.append(typed)
        return LabEntryDraft(
            self._course_id,
            panel,
            self.ordered_input.date_value(),
            self.drawn_input.date_value(),
            LabResults(results),
        )

    def save(self, value: LabEntryDraft) -> LabRecord:
        return record_lab(self._ctx, value)
