"""Record a weight for a course, in kg or lb, on the day it was measured."""

from itertools import pairwise

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.course_dosing import record_weight
from desktop.services.course_records import WeightDraft
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.ui.field_problems import FieldProblems
from desktop.ui.widgets.date_input import DateInput
from desktop.ui.widgets.weight_input import WeightInput


class WeightDialog(QDialog):
    """On a successful save `result_record` holds what was saved (the service returns no
    record: a weight is a dated fact of the course)."""

    def __init__(self, ctx: Context, course_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._course_id = course_id
        self.result_record: WeightDraft | None = None
        self.setWindowTitle("Record weight")
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.measured_on_input = DateInput()
        self.measured_on_input.set_date(ctx.today())
        self.weight_input = WeightInput(field="weight")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        for text, field, widget in (
            ("&Date weighed", "measured_on", self.measured_on_input),
            ("&Weight", "weight", self.weight_input),
        ):
            label = QLabel(text)
            label.setBuddy(widget)
            form.addRow(label, self.problems.wrap(field, widget))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain = (
            self.measured_on_input,
            self.weight_input.number_edit,
            self.weight_input.unit_input,
            self.save_button,
        )
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.setMinimumWidth(420)
        self.weight_input.setFocus()

    @classmethod
    def ask(cls, ctx: Context, course_id: int, parent: QWidget | None = None) -> WeightDraft | None:
        dialog = cls(ctx, course_id, parent)
        dialog.exec()
        return dialog.result_record

    def _on_save_button_clicked(self) -> None:
        typed: list[Problem] = []
        if message := self.measured_on_input.problem():
            typed.append(Problem("measured_on", message))
        if weight_problem := self.weight_input.problem():
            typed.append(weight_problem)
        if typed:
            self.problems.show(typed)
            return
        draft = WeightDraft(
            self._course_id,
            self.measured_on_input.date_value(),
            self.weight_input.value(),
            self.weight_input.unit(),
        )
        try:
            record_weight(self._ctx, draft)
        except ValidationFailed as refused:
            self.problems.show(refused.problems)
            return
        except IsoTrackError as error:
            self.problems.show_message(error.user_message())
            return
        self.result_record = draft
        self.accept()
