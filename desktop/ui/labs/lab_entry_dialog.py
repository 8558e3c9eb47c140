"""Order a lab panel or record its draw and results: triglycerides in mg/dL or mmol/L, ALT
and AST with the lab's own upper limit of normal beside them (domain.md §3.4)."""

import re
from collections.abc import Sequence
from decimal import Decimal

from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QLineEdit, QWidget

from desktop.rules.labs import PANEL_LABELS, LabPanel, LabResults
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.labs import LabEntryDraft, LabRecord, record_lab
from desktop.ui.ipledge.step_dialog import StepDialog, chosen
from desktop.ui.widgets.date_input import DateInput

MG_DL = "mg/dL"
MMOL_L = "mmol/L"
NUMBER_PROBLEM = "Type a number, e.g. 182 or 2.05."
_PLAIN_NUMBER = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)")
"""ASCII digits and one decimal point. Decimal() alone also took "1e999999" (whose mmol/L
conversion then overflowed), "1_000" and non-ASCII digits. A sign reaches the service,
which explains why a value cannot be negative."""
NO_VALUES_NOTE = (
    "IsoTrack keeps the order and draw dates of this panel; file its values with the lab report."
)
ROW_OF_FIELD = {
    "triglycerides_mmol_l": "triglycerides_mg_dl",
    "alt_uln_u_l": "alt_u_l",
    "ast_uln_u_l": "ast_u_l",
}
"""Both triglyceride units share one box; each upper limit sits in its enzyme's row."""


def _decimal(text: str, field: str) -> Decimal | Problem | None:
    """Blank is None; anything else must be a plain number, never guessed."""
    text = text.strip()
    if not text:
        return None
    if _PLAIN_NUMBER.fullmatch(text) is None:
        return Problem(field, NUMBER_PROBLEM)
    return Decimal(text)


def _pair(*widgets: QWidget) -> QWidget:
    row = QWidget()
    layout = QHBoxLayout(row)
    layout.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        layout.addWidget(widget)
    layout.addStretch(1)
    row.setFocusProxy(widgets[0])
    return row


class LabEntryDialog(StepDialog[LabEntryDraft, LabRecord]):
    """Only the values of the chosen panel are sent; `result_record` carries the flags."""

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
        self.triglycerides_input = QLineEdit()
        self.triglycerides_unit_input = QComboBox()
        self.triglycerides_unit_input.addItems([MG_DL, MMOL_L])
        self.alt_input, self.alt_uln_input = QLineEdit(), QLineEdit()
        self.ast_input, self.ast_uln_input = QLineEdit(), QLineEdit()
        self.no_values_label = QLabel(NO_VALUES_NOTE)
        self.no_values_label.setObjectName("hint")
        self.no_values_label.setWordWrap(True)
        self._lay_out()
        self.panel_input.currentIndexChanged.connect(self._on_panel_input_changed)
        self._on_panel_input_changed()

    def _enzyme_row(self, value: QLineEdit, uln: QLineEdit, uln_text: str) -> QWidget:
        for box in (value, uln):
            box.setMaximumWidth(90)
        uln.setToolTip("The upper limit of normal printed on the lab report")
        uln_label = QLabel(uln_text)
        uln_label.setBuddy(uln)
        return _pair(value, QLabel("U/L"), uln_label, uln, QLabel("U/L"))

    def _lay_out(self) -> None:
        self.triglycerides_input.setMaximumWidth(90)
        self.row("panel", "&Panel", self.panel_input)
        self.row("ordered_on", "&Ordered on", self.ordered_input)
        self.row("drawn_on", "&Drawn on", self.drawn_input)
        tg_row = _pair(self.triglycerides_input, self.triglycerides_unit_input)
        self._value_rows = {
            LabPanel.LIPIDS: [self.row("triglycerides_mg_dl", "&Triglycerides", tg_row)],
            LabPanel.LFT: [
                self.row(
                    "alt_u_l",
                    "&ALT",
                    self._enzyme_row(self.alt_input, self.alt_uln_input, "lab's &ULN"),
                ),
                self.row(
                    "ast_u_l",
                    "A&ST",
                    self._enzyme_row(self.ast_input, self.ast_uln_input, "lab's U&LN"),
                ),
            ],
        }
        self.form.addRow("", self.no_values_label)
        self.finish_layout(
            (
                self.panel_input,
                self.ordered_input,
                self.drawn_input,
                self.triglycerides_input,
                self.triglycerides_unit_input,
                self.alt_input,
                self.alt_uln_input,
                self.ast_input,
                self.ast_uln_input,
            )
        )
        self.drawn_input.setFocus()
        self.setMinimumWidth(560)

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
        panel = self._panel()
        for shown_for, rows in self._value_rows.items():
            for row in rows:
                self.form.setRowVisible(row, shown_for is panel)
        self.no_values_label.setVisible(panel not in self._value_rows)

    def _values(self) -> dict[str, Decimal | Problem | None]:
        """The typed values of the chosen panel, by LabResults field."""
        panel = self._panel()
        values: dict[str, Decimal | Problem | None] = {}
        if panel is LabPanel.LIPIDS:
            unit = self.triglycerides_unit_input.currentText()
            field = "triglycerides_mg_dl" if unit == MG_DL else "triglycerides_mmol_l"
            values[field] = _decimal(self.triglycerides_input.text(), field)
        if panel is LabPanel.LFT:
            for field, box in (
                ("alt_u_l", self.alt_input),
                ("alt_uln_u_l", self.alt_uln_input),
                ("ast_u_l", self.ast_input),
                ("ast_uln_u_l", self.ast_uln_input),
            ):
                values[field] = _decimal(box.text(), field)
        return values

    def placed(self, problems: Sequence[Problem]) -> tuple[Problem, ...]:
        return tuple(Problem(ROW_OF_FIELD.get(p.field, p.field), p.message) for p in problems)

    def typed(self) -> LabEntryDraft | Problem:
        for field, box in (("ordered_on", self.ordered_input), ("drawn_on", self.drawn_input)):
            if problem := box.problem():
                return Problem(field, problem)
        values = self._values()
        for value in values.values():
            if isinstance(value, Problem):
                return value
        results = LabResults(**{k: v for k, v in values.items() if isinstance(v, Decimal)})
        return LabEntryDraft(
            self._course_id,
            self._panel(),
            self.ordered_input.date_value(),
            self.drawn_input.date_value(),
            results,
        )

    def save(self, value: LabEntryDraft) -> LabRecord:
        return record_lab(self._ctx, value)
