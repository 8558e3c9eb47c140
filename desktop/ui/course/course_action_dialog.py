"""Pause, resume or end a course: the day it happens and, to pause or resume, the reason."""

from enum import StrEnum
from itertools import pairwise

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.course_lifecycle import end_course, pause_course, resume_course
from desktop.services.course_records import CourseRecord
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.ui.field_problems import FieldProblems
from desktop.ui.widgets.date_input import DateInput


class CourseAction(StrEnum):
    PAUSE = "pause"
    RESUME = "resume"
    END = "end"


TITLES = {CourseAction.PAUSE: "Pause", CourseAction.RESUME: "Resume", CourseAction.END: "End"}
DATE_LABELS = {
    CourseAction.PAUSE: "Paused &from",
    CourseAction.RESUME: "Resumed &on",
    CourseAction.END: "&Last dose on",
}
EXPLANATIONS = {
    CourseAction.PAUSE: "No doses are counted from this day until the course is resumed.",
    CourseAction.RESUME: "Doses count again from this day, at the dose in force.",
    CourseAction.END: (
        "Ending the course starts post-course follow-up: for a patient who "
        "can get pregnant, a pregnancy test now and one month after, and contraception for "
        "one more month; for everyone, no blood donation for one month."
    ),
}
DATE_FIELDS = ("paused_on", "resumed_on", "last_dose_on")
BOX_OF_FIELD = {
    **dict.fromkeys(DATE_FIELDS, "date"),
    **dict.fromkeys(("pause_reason", "resume_reason"), "reason"),  # text no database holds
}
"""The services' field names shown under this dialog's two boxes."""
NO_DATE_PROBLEM = "Enter the date."


class CourseActionDialog(QDialog):
    """On a successful save `result_record` holds the course at its new version; a stale
    course (changed elsewhere since it was shown) is refused with who and when."""

    def __init__(
        self,
        ctx: Context,
        course: CourseRecord,
        action: CourseAction,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._course = course
        self.action = action
        self.result_record: CourseRecord | None = None
        self.setWindowTitle(f"{TITLES[action]} course {course.number}")
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.explanation_label = QLabel(EXPLANATIONS[action])
        self.explanation_label.setObjectName("hint")
        self.explanation_label.setWordWrap(True)
        self.date_input = DateInput()
        self.date_input.set_date(ctx.today())
        self.reason_input = QLineEdit(self)
        self.reason_input.setVisible(action is not CourseAction.END)  # end_course takes none
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(f"{TITLES[action]} course")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        date_label = QLabel(DATE_LABELS[self.action])
        date_label.setBuddy(self.date_input)
        form.addRow(date_label, self.problems.wrap("date", self.date_input))
        if self.action is not CourseAction.END:
            reason_label = QLabel("&Reason")
            reason_label.setBuddy(self.reason_input)
            form.addRow(reason_label, self.problems.wrap("reason", self.reason_input))
        layout = QVBoxLayout(self)
        layout.addWidget(self.explanation_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        ends = self.action is CourseAction.END
        chain = (self.date_input, *(() if ends else (self.reason_input,)), self.save_button)
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.setMinimumWidth(480)
        (self.date_input if ends else self.reason_input).setFocus()

    @classmethod
    def ask(
        cls,
        ctx: Context,
        course: CourseRecord,
        action: CourseAction,
        parent: QWidget | None = None,
    ) -> CourseRecord | None:
        dialog = cls(ctx, course, action, parent)
        dialog.exec()
        return dialog.result_record

    def _save(self) -> CourseRecord:
        on = self.date_input.date_value()
        if on is None:
            raise ValidationFailed((Problem("date", self.date_input.problem() or NO_DATE_PROBLEM),))
        course, reason = self._course, self.reason_input.text()
        if self.action is CourseAction.PAUSE:
            return pause_course(self._ctx, course.id, course.version, on, reason)
        if self.action is CourseAction.RESUME:
            return resume_course(self._ctx, course.id, course.version, on, reason)
        return end_course(self._ctx, course.id, course.version, on)

    def _on_save_button_clicked(self) -> None:
        try:
            self.result_record = self._save()
        except ValidationFailed as refused:
            self.problems.show(
                Problem(BOX_OF_FIELD.get(p.field, p.field), p.message) for p in refused.problems
            )
            return
        except IsoTrackError as error:  # StaleEdit names who changed the course and when
            self.problems.show_message(error.user_message())
            return
        self.accept()
