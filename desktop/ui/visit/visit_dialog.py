"""The monthly visit (domain.md §4.3): date, weight, missed days, side effects, mood, topics
covered, the dose decision, notes and the next visit, saved together by one Save."""

from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.mood import SELF_HARM_ITEM
from desktop.rules.problems import Problem
from desktop.rules.side_effects import SIDE_EFFECT_LABELS
from desktop.rules.units import format_weight
from desktop.services.context import Context
from desktop.services.course_overview import get_course_overview
from desktop.services.course_records import CourseRecord
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.services.patients import get_patient
from desktop.services.visits import VisitDraft, VisitRecord, list_visits, record_visit
from desktop.ui import messages
from desktop.ui.course.missed_days_input import MissedDaysInput
from desktop.ui.course.regimen_text import doses_text
from desktop.ui.field_problems import FieldProblems
from desktop.ui.patients.patients_table_model import name_with_preferred
from desktop.ui.visit.counseling_panel import CounselingPanel
from desktop.ui.visit.dose_decision_panel import DoseDecisionPanel
from desktop.ui.visit.mood_panel import MoodPanel
from desktop.ui.visit.side_effects_panel import SideEffectsPanel
from desktop.ui.widgets.date_input import DateInput
from desktop.ui.widgets.weight_input import WeightInput

NEXT_VISIT_AFTER = timedelta(weeks=4)
"""Clinic policy [P]: visits are monthly (domain.md §1.4); 4 weeks keeps the weekday."""
SELF_HARM_BANNER = (
    f"SAME-DAY FOLLOW-UP: PHQ-9 question {SELF_HARM_ITEM} (thoughts of self-harm) is above 0. "
    "A clinician must see the patient today, before they leave."
)
PROBLEM_FIELD_ALIASES = {"weight_kg": "weight", "starts_on": "mg_per_kg_day"}


class SameDayActions(IsoTrackError):
    """A saved visit's same-day flags, shown through `messages.show_error` (the one place
    that opens message boxes) before the dialog closes."""


class VisitDialog(QDialog):
    """On a successful save `result_record` holds the visit. A refused save keeps the dialog
    open with everything typed, the message beside its field and that field focused."""

    def __init__(self, ctx: Context, course: CourseRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._course = course
        overview = get_course_overview(ctx, course.id)
        self._last_weight = overview.dose.weight_kg if overview.dose else None
        self._next_visit_typed = False
        self.result_record: VisitRecord | None = None
        self.setWindowTitle(f"Visit: course {course.number}")
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.urgent_banner = QLabel()
        self.urgent_banner.setObjectName("hardStopFlag")
        self.urgent_banner.setWordWrap(True)
        self.urgent_banner.hide()
        regimen = doses_text(overview.dose.doses) if overview.dose else "no dose recorded"
        self.header_label = QLabel(self._header(regimen))
        self.header_label.setObjectName("heading")
        self.header_label.setWordWrap(True)
        self._make_inputs(regimen)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save visit")
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self._connect()
        self._on_seen_on_input_date_edited(self.seen_on_input.date_value())
        self._update_banner()

    def _header(self, regimen: str) -> str:
        patient = get_patient(self._ctx, self._course.patient_id)
        name = name_with_preferred(patient.legal_name, patient.preferred_name)
        visits = list_visits(self._ctx, self._course.id)
        last = f"last visit {visits[0].seen_on}" if visits else "first visit of this course"
        return f"{name} · course {self._course.number} · {regimen} · {last}"

    def _make_inputs(self, regimen: str) -> None:
        self.seen_on_input = DateInput()
        self.seen_on_input.set_date(self._ctx.today())
        self.weight_input = WeightInput(field="weight")
        if self._last_weight is not None:
            self.weight_input.number_edit.setPlaceholderText(
                f"last {format_weight(self._last_weight)}"
            )
        self.missed_days_input = MissedDaysInput()
        self.side_effects_panel = SideEffectsPanel()
        self.mood_panel = MoodPanel()
        self.counseling_panel = CounselingPanel()
        self.dose_decision_panel = DoseDecisionPanel(
            self.problems,
            role=self._ctx.actor.role,
            product=self._course.product,
            current_regimen=regimen,
        )
        self.dose_decision_panel.set_weight(self._last_weight)
        self.notes_input = QPlainTextEdit()
        self.notes_input.setTabChangesFocus(True)
        self.notes_input.setFixedHeight(64)
        self.next_visit_input = DateInput()

    def _field_row(self, form: QFormLayout, text: str, field: str, widget: QWidget) -> None:
        label = QLabel(text)
        label.setBuddy(widget)
        form.addRow(label, self.problems.wrap(field, widget))

    def _lay_out(self) -> None:
        body = QWidget()
        form = QFormLayout(body)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._field_row(form, "Visit &date", "seen_on", self.seen_on_input)
        self._field_row(form, "&Weight", "weight", self.weight_input)
        self._field_row(form, "&Missed days since the last visit", "missed_days",
                        self.missed_days_input)  # fmt: skip
        form.addRow(self.problems.wrap("side_effects", self.side_effects_panel))
        form.addRow(self.problems.wrap("phq2", self.mood_panel))
        self._phq9_problem = self.problems.wrap("phq9", QLabel())
        form.addRow(self._phq9_problem)
        form.addRow(self.counseling_panel)
        form.addRow(self.dose_decision_panel)
        self._field_row(form, "&Notes", "notes", self.notes_input)
        self._field_row(form, "Ne&xt visit", "next_visit_on", self.next_visit_input)
        self.scroll_area = QScrollArea()
        self.scroll_area.setWidget(body)
        self.scroll_area.setWidgetResizable(True)
        self.scroll_area.setFrameShape(QScrollArea.Shape.NoFrame)
        self.scroll_area.setFocusPolicy(Qt.FocusPolicy.NoFocus)  # Tab goes to the fields
        layout = QVBoxLayout(self)
        layout.addWidget(self.header_label)
        layout.addWidget(self.urgent_banner)
        layout.addWidget(self.scroll_area, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain = (
            self.seen_on_input, self.weight_input.number_edit, self.weight_input.unit_input,
            self.missed_days_input.dates_edit, *self.side_effects_panel.tab_chain(),
            *self.mood_panel.tab_chain(), *self.counseling_panel.tab_chain(),
            *self.dose_decision_panel.tab_chain(), self.notes_input, self.next_visit_input,
            self.save_button, self.cancel_button,
        )  # fmt: skip
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.setMinimumWidth(900)  # the side-effect checklist's two columns, unscrolled
        self.resize(960, 760)
        self.weight_input.setFocus()

    def _connect(self) -> None:
        self.seen_on_input.date_edited.connect(self._on_seen_on_input_date_edited)
        self.next_visit_input.textEdited.connect(self._on_next_visit_input_text_edited)
        self.weight_input.weight_edited.connect(self._on_weight_input_weight_edited)
        self.mood_panel.mood_changed.connect(self._update_banner)
        self.side_effects_panel.effects_changed.connect(self._update_banner)

    @classmethod
    def ask(
        cls, ctx: Context, course: CourseRecord, parent: QWidget | None = None
    ) -> VisitRecord | None:
        dialog = cls(ctx, course, parent)
        dialog.exec()
        return dialog.result_record

    def _on_seen_on_input_date_edited(self, seen_on: date | None) -> None:
        """The next visit follows the visit date until the nurse types one herself."""
        if seen_on is not None and not self._next_visit_typed:
            self.next_visit_input.set_date(seen_on + NEXT_VISIT_AFTER)

    def _on_next_visit_input_text_edited(self, _text: str) -> None:
        self._next_visit_typed = True

    def _on_weight_input_weight_edited(self, _weight: object) -> None:
        typed = self.weight_input.weight()
        self.dose_decision_panel.set_weight(typed.weight_kg if typed else self._last_weight)

    def _update_banner(self) -> None:
        """Unmissable, above the scrolling form, for as long as the answers stand."""
        lines = [SELF_HARM_BANNER] if self.mood_panel.self_harm_flagged() else []
        lines += [
            f"Stop-and-call symptom: {SIDE_EFFECT_LABELS[effect]}. Tell the prescriber today."
            for effect in self.side_effects_panel.urgent_ticked()
        ]
        self.urgent_banner.setText("\n".join(lines))
        self.urgent_banner.setVisible(bool(lines))

    def _typing_problems(self) -> list[Problem]:
        found = []
        for field, date_input in (
            ("seen_on", self.seen_on_input),
            ("next_visit_on", self.next_visit_input),
        ):
            if message := date_input.problem():
                found.append(Problem(field, message))
        if weight_problem := self.weight_input.problem():
            found.append(weight_problem)
        if missed := self.missed_days_input.problem():
            found.append(Problem("missed_days", missed))
        found += self.side_effects_panel.problems()
        found += self.mood_panel.problems()
        found += self.dose_decision_panel.problems()
        return found

    def draft(self) -> VisitDraft:
        return VisitDraft(
            course_id=self._course.id,
            course_version=self._course.version,
            seen_on=self.seen_on_input.date_value(),
            weight=self.weight_input.value(),
            weight_unit=self.weight_input.unit(),
            phq2_items=self.mood_panel.phq2_items(),
            phq9_items=self.mood_panel.phq9_items(),
            missed_days=self.missed_days_input.days(),
            side_effects=self.side_effects_panel.reported(),
            counseling_topics=self.counseling_panel.topics(),
            dose_change=self.dose_decision_panel.dose_change(),
            notes=self.notes_input.toPlainText(),
            next_visit_on=self.next_visit_input.date_value(),
        )

    def _show_problems(self, problems: list[Problem]) -> None:
        mapped = [replace(p, field=PROBLEM_FIELD_ALIASES.get(p.field, p.field)) for p in problems]
        self.problems.show(mapped)
        field = mapped[0].field
        exact = {
            "side_effects": self.side_effects_panel.first_missing_severity(),
            "phq2": self.mood_panel.first_unanswered(),
            "phq9": self.mood_panel.first_unanswered(),
        }.get(field)
        if exact is not None:
            exact.setFocus()
        focused = self.focusWidget()
        if focused is not None:
            self.scroll_area.ensureWidgetVisible(focused)

    def _on_save_button_clicked(self) -> None:
        if problems := self._typing_problems():
            self._show_problems(problems)
            return
        try:
            self.result_record = record_visit(self._ctx, self.draft())
        except ValidationFailed as refused:
            self._show_problems(list(refused.problems))
            return
        except IsoTrackError as error:  # StaleEdit names who changed the course and when
            self.problems.show_message(error.user_message())
            return
        if self.result_record.flags:
            messages.show_error(self, SameDayActions("\n\n".join(self.result_record.flags)))
        self.accept()
