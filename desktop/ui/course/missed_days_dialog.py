"""Record days the patient did not take the dose; they are not counted (domain.md §8 C1)."""

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QFormLayout, QLabel, QVBoxLayout, QWidget

from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.course_dosing import record_missed_days
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.ui.course.missed_days_input import MissedDaysInput
from desktop.ui.field_problems import FieldProblems

NO_DAYS_PROBLEM = "Type at least one day without a dose."


class MissedDaysDialog(QDialog):
    """On a successful save `result_record` holds how many of the days were new (days
    already recorded are kept once)."""

    def __init__(self, ctx: Context, course_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._course_id = course_id
        self.result_record: int | None = None
        self.setWindowTitle("Record missed days")
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.missed_days_input = MissedDaysInput()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        label = QLabel("&Days without a dose")
        label.setBuddy(self.missed_days_input)
        form.addRow(label, self.problems.wrap("missed_days", self.missed_days_input))
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.missed_days_input.dates_edit, self.save_button)
        self.setMinimumWidth(520)
        self.missed_days_input.setFocus()

    @classmethod
    def ask(cls, ctx: Context, course_id: int, parent: QWidget | None = None) -> int | None:
        dialog = cls(ctx, course_id, parent)
        dialog.exec()
        return dialog.result_record

    def _on_save_button_clicked(self) -> None:
        problem = self.missed_days_input.problem()
        days = self.missed_days_input.days()
        if problem or not days:
            self.problems.show([Problem("missed_days", problem or NO_DAYS_PROBLEM)])
            return
        try:
            self.result_record = record_missed_days(self._ctx, self._course_id, days)
        except ValidationFailed as refused:
            self.problems.show(refused.problems)
            return
        except IsoTrackError as error:
            self.problems.show_message(error.user_message())
            return
        self.accept()
