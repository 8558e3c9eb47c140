"""Record a prescription fill: the day it was picked up, days' supply (at most 30, no
refills, domain.md §1.6) and, if known, the capsules dispensed."""

import re
from dataclasses import dataclass

from PySide6.QtWidgets import QLineEdit, QWidget

from desktop.rules.ipledge import Fill
from desktop.rules.ipledge_rule_sets import MAX_DAYS_SUPPLY
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.ipledge_steps import record_fill
from desktop.ui.ipledge.step_dialog import StepDialog
from desktop.ui.widgets.date_input import DateInput

FILLED_PROBLEM = "Enter the date the prescription was picked up."
WHOLE_NUMBER_PROBLEM = "Type a whole number."
MAX_DIGITS = 6
TOO_LARGE_PROBLEM = "That number is too large; check it."
_DIGITS = re.compile(r"[0-9]+")
"""ASCII digits only, as for every typed number (desktop.rules.units); str.isdigit() also
passed "²" and "３０", and int() then raised on the first."""
DAYS_PROBLEM = f"Enter the days' supply: 1 to {MAX_DAYS_SUPPLY}."


@dataclass(frozen=True, slots=True)
class FillEntry:
    fill: Fill
    capsules: int | None


def _whole_number(text: str, field: str) -> int | Problem | None:
    """Blank is None; anything else must be a whole number, never rounded or guessed."""
    text = text.strip()
    if not text:
        return None
    if _DIGITS.fullmatch(text) is None:
        return Problem(field, WHOLE_NUMBER_PROBLEM)
    digits = text.lstrip("0") or "0"  # int() refuses 4,300+ digits, leading zeros included
    if len(digits) > MAX_DIGITS:
        return Problem(field, TOO_LARGE_PROBLEM)
    return int(digits)


class FillDialog(StepDialog[FillEntry, FillEntry]):
    def __init__(self, ctx: Context, course_id: int, parent: QWidget | None = None) -> None:
        super().__init__(ctx, course_id, "Record fill", parent)
        self.filled_input = DateInput()
        self.filled_input.set_date(ctx.today())
        self.days_supply_input = QLineEdit(str(MAX_DAYS_SUPPLY))
        self.days_supply_input.setPlaceholderText(f"1 to {MAX_DAYS_SUPPLY}")
        self.capsules_input = QLineEdit()
        self.capsules_input.setPlaceholderText("Optional")
        self.row("filled_on", "&Picked up on", self.filled_input)
        self.row("days_supply", "&Days' supply", self.days_supply_input)
        self.row("capsules", "&Capsules dispensed", self.capsules_input)
        self.finish_layout((self.filled_input, self.days_supply_input, self.capsules_input))
        self.setMinimumWidth(420)

    @classmethod
    def ask(cls, ctx: Context, course_id: int, parent: QWidget | None = None) -> FillEntry | None:
        dialog = cls(ctx, course_id, parent)
        dialog.exec()
        return dialog.result_record

    def typed(self) -> FillEntry | Problem:
        filled_on = self.filled_input.date_value()
        if problem := self.filled_input.problem():
            return Problem("filled_on", problem)
        if filled_on is None:
            return Problem("filled_on", FILLED_PROBLEM)
        days = _whole_number(self.days_supply_input.text(), "days_supply")
        if days is None:
            return Problem("days_supply", DAYS_PROBLEM)
        capsules = _whole_number(self.capsules_input.text(), "capsules")
        if isinstance(days, Problem):
            return days
        if isinstance(capsules, Problem):
            return capsules
        return FillEntry(Fill(filled_on, days), capsules)

    def save(self, value: FillEntry) -> FillEntry:
        record_fill(self._ctx, self._course_id, value.fill, value.capsules)
        return value
