"""Record that a visit's same-day follow-up was done: the day and what was done (domain.md
§4.1, §4.2). Saving takes the visit's urgent item off the worklist."""

from PySide6.QtWidgets import QLabel, QPlainTextEdit, QWidget

from desktop.rules.mood import SELF_HARM_ITEM
from desktop.rules.problems import Problem
from desktop.rules.side_effects import SIDE_EFFECT_LABELS
from desktop.services.context import Context
from desktop.services.follow_ups import FollowUpDraft, FollowUpRecord, record_follow_up
from desktop.services.visits import VisitRecord
from desktop.ui.ipledge.step_dialog import StepDialog
from desktop.ui.widgets.date_input import DateInput

DONE_ON_PROBLEM = "Enter the day the follow-up was done."
OUTCOME_PLACEHOLDER = (
    "Who saw or called the patient, what was decided (for example: seen by Dr Park the same "
    "day; safety plan made; dose held)."
)


def findings_text(visit: VisitRecord) -> str:
    """ "Visit of 2026-12-04: PHQ-9 question 9 above 0; Severe stomach or back pain." """
    found = []
    if visit.mood is not None and visit.mood.needs_same_day_follow_up:
        found.append(f"PHQ-9 question {SELF_HARM_ITEM} above 0 (thoughts of self-harm)")
    found += [SIDE_EFFECT_LABELS[effect] for effect in visit.urgent_effects]
    return f"Visit of {visit.seen_on.isoformat()}: {'; '.join(found)}."


class FollowUpDialog(StepDialog[FollowUpDraft, FollowUpRecord]):
    def __init__(self, ctx: Context, visit: VisitRecord, parent: QWidget | None = None) -> None:
        super().__init__(ctx, visit.course_id, "Same-day follow-up done", parent)
        self._visit = visit
        self.findings_label = QLabel(findings_text(visit))
        self.findings_label.setWordWrap(True)
        self.form.addRow(self.findings_label)
        self.done_on_input = DateInput()
        self.done_on_input.set_date(ctx.today())
        self.outcome_input = QPlainTextEdit()
        self.outcome_input.setTabChangesFocus(True)
        self.outcome_input.setFixedHeight(80)
        self.outcome_input.setPlaceholderText(OUTCOME_PLACEHOLDER)
        self.row("done_on", "Done &on", self.done_on_input)
        self.row("outcome", "&What was done", self.outcome_input)
        self.finish_layout((self.done_on_input, self.outcome_input))
        self.setMinimumWidth(520)

    @classmethod
    def ask(
        cls, ctx: Context, visit: VisitRecord, parent: QWidget | None = None
    ) -> FollowUpRecord | None:
        dialog = cls(ctx, visit, parent)
        dialog.exec()
        return dialog.result_record

    def typed(self) -> FollowUpDraft | Problem:
        done_on = self.done_on_input.date_value()
        if problem := self.done_on_input.problem():
            return Problem("done_on", problem)
        if done_on is None:
            return Problem("done_on", DONE_ON_PROBLEM)
        return FollowUpDraft(self._visit.id, done_on, self.outcome_input.toPlainText())

    def save(self, value: FollowUpDraft) -> FollowUpRecord:
        return record_follow_up(self._ctx, value)
