"""Record a change of contraception: two separate methods in iPLEDGE's wording, or abstinence,
from a date (domain.md §1.5). The rules judge the pair; their message shows beside the field."""

from PySide6.QtWidgets import QButtonGroup, QComboBox, QLabel, QRadioButton, QWidget

from desktop.rules.contraception import (
    ABSTINENCE_LABEL,
    METHOD_CLASSES,
    METHOD_LABELS,
    REQUIRE_ONE_PRIMARY_METHOD,
    ContraceptionMethod,
    ContraceptionPeriod,
    MethodClass,
)
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.ipledge_steps import record_contraception
from desktop.ui.ipledge.step_dialog import CHOOSE, StepDialog, chosen
from desktop.ui.widgets.date_input import DateInput

TWO_METHODS = "&Two separate methods at the same time"
ABSTINENCE = "&Abstinence"
STARTS_PROBLEM = "Enter the date this contraception started."


def _methods(*classes: MethodClass) -> list[ContraceptionMethod]:
    return [m for c in classes for m in ContraceptionMethod if METHOD_CLASSES[m] is c]


def _method_combo(groups: list[list[ContraceptionMethod]]) -> QComboBox:
    """Groups separated by a line. The minipill is listed last, so that a nurse who hears
    "the pill" can find it and be told why it does not count."""
    combo = QComboBox()
    combo.addItem(CHOOSE, None)
    for group in groups:
        combo.insertSeparator(combo.count())
        for method in group:
            combo.addItem(METHOD_LABELS[method], method.value)
    return combo


class ContraceptionDialog(StepDialog[ContraceptionPeriod, ContraceptionPeriod]):
    def __init__(self, ctx: Context, course_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, course_id, "Record contraception", parent)
        self.starts_input = DateInput()
        self.starts_input.set_date(ctx.today())
        self.two_methods_choice = QRadioButton(TWO_METHODS)
        self.two_methods_choice.setChecked(True)
        self.abstinence_choice = QRadioButton(ABSTINENCE)
        choices = QButtonGroup(self)
        choices.addButton(self.two_methods_choice)
        choices.addButton(self.abstinence_choice)
        first = [MethodClass.PRIMARY]
        if not REQUIRE_ONE_PRIMARY_METHOD:
            first.append(MethodClass.SECONDARY)
        refused = _methods(MethodClass.NOT_ACCEPTABLE)
        self.primary_input = _method_combo([_methods(*first), refused])
        self.secondary_input = _method_combo(
            [_methods(MethodClass.SECONDARY), _methods(MethodClass.PRIMARY), refused]
        )
        self.abstinence_label = QLabel(ABSTINENCE_LABEL)
        self.abstinence_label.setObjectName("hint")
        self.abstinence_label.setWordWrap(True)
        self.row("starts_on", "In use &from", self.starts_input)
        self.form.addRow("", self.two_methods_choice)
        self.row("primary", "&Primary form", self.primary_input)
        self.row("secondary", "&Second form", self.secondary_input)
        self.row("abstinence", "", self.abstinence_choice)
        self.form.addRow("", self.abstinence_label)
        self.finish_layout(
            (
                self.starts_input,
                self.two_methods_choice,
                self.primary_input,
                self.secondary_input,
                self.abstinence_choice,
            )
        )
        self.primary_input.setFocus()
        self.setMinimumWidth(600)
        self.abstinence_choice.toggled.connect(self._on_abstinence_choice_toggled)
        self._on_abstinence_choice_toggled(False)

    @classmethod
    def ask(
        cls, ctx: Context, course_id: int, parent: QWidget | None = None
    ) -> ContraceptionPeriod | None:
        dialog = cls(ctx, course_id, parent)
        dialog.exec()
        return dialog.result_record

    def _on_abstinence_choice_toggled(self, abstinence: bool) -> None:
        self.primary_input.setEnabled(not abstinence)
        self.secondary_input.setEnabled(not abstinence)
        self.abstinence_label.setVisible(abstinence)

    def typed(self) -> ContraceptionPeriod | Problem:
        starts_on = self.starts_input.date_value()
        if problem := self.starts_input.problem():
            return Problem("starts_on", problem)
        if starts_on is None:
            return Problem("starts_on", STARTS_PROBLEM)
        if self.abstinence_choice.isChecked():
            return ContraceptionPeriod(starts_on, abstinence=True)
        return ContraceptionPeriod(
            starts_on,
            chosen(self.primary_input, ContraceptionMethod),
            chosen(self.secondary_input, ContraceptionMethod),
        )

    def save(self, value: ContraceptionPeriod) -> ContraceptionPeriod:
        record_contraception(self._ctx, self._course_id, value)
        return value
