"""Start a course: product, dates, prescriber, target, lab protocol, first weight and dose,
with the regimen previewed live and every hard stop refused with its reason."""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from itertools import pairwise

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.course_start import CourseStartFacts, earliest_next_course, hard_stops
from desktop.rules.cumulative_dose import (
    DEFAULT_TARGET_MG_PER_KG,
    STANDARD_TARGETS_MG_PER_KG,
    target_notes,
)
from desktop.rules.problems import Problem
from desktop.rules.units import format_decimal, parse_mg_per_kg_day, parse_number
from desktop.services.catalog.formulary import load_formulary
from desktop.services.catalog.protocols import lab_protocol_names, load_lab_protocol
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import list_courses, list_prescribers
from desktop.services.course_records import CourseDraft, CourseRecord, CourseStatus
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.services.records import PatientRecord
from desktop.services.roles import Role
from desktop.ui.course.regimen_preview import PreviewRequest, RegimenPreview
from desktop.ui.field_problems import FieldProblems
from desktop.ui.patients.patients_table_model import name_with_preferred
from desktop.ui.widgets.date_input import DateInput
from desktop.ui.widgets.weight_input import WeightInput

CUSTOM_TARGET = "custom"
CHOOSE_PRESCRIBER = "Choose the prescriber…"
OVERRIDE_HINT = (
    "The previous course ended on {last}; a new course may start on {earliest} at the "
    "earliest. A prescriber may start sooner, giving the reason here."
)
NURSE_OVERRIDE_HINT = " Only a prescriber signed in here can give it."
NO_IPLEDGE_ID = "None on record: add it with Edit patient before the first prescription."
NO_IPLEDGE_ID_TIP = (
    "iPLEDGE knows the patient by this number. The course can start without it; the first "
    "prescription cannot be authorised without it."
)
PROBLEM_FIELD_ALIASES = {
    "weight_kg": "starting_weight",
    "mg_per_kg_day": "starting_mg_per_kg_day",
    "prescriber_override": "starting_mg_per_kg_day",
    "birth_date": "start_on",
}
"""The calculator names its fields without the 'starting_' of the course draft."""


def target_label(target: Decimal) -> str:
    default = " (default)" if target == DEFAULT_TARGET_MG_PER_KG else ""
    return f"{format_decimal(target)} mg/kg{default}"


class StartCourseDialog(QDialog):
    """On a successful save `result_record` holds the new course. A refusal (a hard stop, a
    missing field, the 2-month wait) keeps the dialog open with everything typed."""

    def __init__(self, ctx: Context, patient: PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._patient = patient
        self._courses = list_courses(ctx, patient.id)
        self.result_record: CourseRecord | None = None
        self.setWindowTitle("Start a course")
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self._make_inputs()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Start course")
        self.save_button.setDefault(True)
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self._connect()
        self._on_target_input_changed()
        self._on_inputs_changed()
        self._show_hard_stops()

    def _make_inputs(self) -> None:
        self.patient_label = QLabel(self._patient_summary())
        self.patient_label.setObjectName("heading")
        self.product_input = QComboBox()
        for product in load_formulary().products:
            self.product_input.addItem(product.display_name, product.name)
        self.start_date_input = DateInput()
        self.start_date_input.set_date(self._ctx.today())
        self.prescriber_input = QComboBox()
        self._fill_prescribers()
        self.target_input = QComboBox()
        for target in STANDARD_TARGETS_MG_PER_KG:
            self.target_input.addItem(target_label(target), str(target))
        self.target_input.addItem("Custom…", CUSTOM_TARGET)
        self.target_input.setCurrentIndex(self.target_input.findData(str(DEFAULT_TARGET_MG_PER_KG)))
        self.custom_target_input = QLineEdit()
        self.custom_target_input.setPlaceholderText("mg/kg, e.g. 180")
        self.custom_target_input.setAccessibleName("Custom cumulative target in mg/kg")
        self.target_note_label = QLabel()
        self.target_note_label.setObjectName("hint")
        self.target_note_label.setWordWrap(True)
        self.lab_protocol_input = QComboBox()
        self.lab_protocol_input.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.lab_protocol_input.setMinimumContentsLength(30)
        for name in lab_protocol_names():
            title = load_lab_protocol(name).title
            self.lab_protocol_input.addItem(title, name)
            # Long titles may be cut off in the box; the tooltip shows all of it.
            self.lab_protocol_input.setItemData(
                self.lab_protocol_input.count() - 1, title, Qt.ItemDataRole.ToolTipRole
            )
        self.ipledge_date_input = DateInput()
        self.ipledge_date_input.setPlaceholderText("YYYY-MM-DD (optional)")
        patient_id = self._patient.ipledge_patient_id.strip()
        # A warning, not a refusal: the number often arrives after the course is planned.
        self.ipledge_id_label = QLabel(patient_id or NO_IPLEDGE_ID)
        self.ipledge_id_label.setObjectName("" if patient_id else "warningFlag")
        self.ipledge_id_label.setToolTip("" if patient_id else NO_IPLEDGE_ID_TIP)
        self.ipledge_id_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.weight_input = WeightInput(field="starting_weight")
        self.mg_per_kg_day_input = QLineEdit()
        self.mg_per_kg_day_input.setPlaceholderText("e.g. 0.5")
        self.preview = RegimenPreview()
        self.override_reason_input = QLineEdit()
        self.override_reason_input.setPlaceholderText("The prescriber's reason for starting early")
        self.override_hint_label = QLabel()
        self.override_hint_label.setObjectName("hint")
        self.override_hint_label.setWordWrap(True)
        if self._ctx.actor.role is not Role.PRESCRIBER:
            self.override_reason_input.setEnabled(False)

    def _patient_summary(self) -> str:
        patient = self._patient
        name = name_with_preferred(patient.legal_name, patient.preferred_name)
        number = max((c.number for c in self._courses), default=0) + 1
        return f"{name} · {patient.mrn} · course {number}"

    def _fill_prescribers(self) -> None:
        prescribers = list_prescribers(self._ctx)
        self.prescriber_input.addItem(CHOOSE_PRESCRIBER, None)
        for choice in prescribers:
            self.prescriber_input.addItem(choice.display_name, choice.id)
        mine = self.prescriber_input.findData(self._ctx.actor.user_id)
        if self._ctx.actor.role is Role.PRESCRIBER and mine >= 0:
            self.prescriber_input.setCurrentIndex(mine)
        elif len(prescribers) == 1:
            self.prescriber_input.setCurrentIndex(1)

    def _row(self, form: QFormLayout, text: str, field: str, widget: QWidget) -> QWidget:
        label = QLabel(text)
        label.setBuddy(widget)
        box = self.problems.wrap(field, widget)
        form.addRow(label, box)
        return box

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._row(form, "&Product", "product", self.product_input)
        self._row(form, "&Start date (first dose)", "start_on", self.start_date_input)
        self._row(form, "P&rescriber", "prescriber_id", self.prescriber_input)
        target_row = QWidget()
        target_layout = QHBoxLayout(target_row)
        target_layout.setContentsMargins(0, 0, 0, 0)
        target_layout.addWidget(self.target_input)
        target_layout.addWidget(self.custom_target_input, 1)
        target_row.setFocusProxy(self.target_input)
        self._row(form, "Cumulative &target", "target_mg_per_kg", target_row)
        form.addRow("", self.target_note_label)
        self._row(form, "&Lab protocol", "lab_protocol", self.lab_protocol_input)
        self._row(form, "&iPLEDGE enrolment date", "ipledge_enrolled_on", self.ipledge_date_input)
        form.addRow("iPLEDGE patient ID", self.ipledge_id_label)
        self._row(form, "Starting &weight", "starting_weight", self.weight_input)
        self._row(form, "Starting &mg/kg/day", "starting_mg_per_kg_day", self.mg_per_kg_day_input)
        form.addRow("Regimen", self.preview)
        self._override_row = self._row(
            form, "2-month wait &override", "override_reason", self.override_reason_input
        )
        form.addRow("", self.override_hint_label)
        self._form = form
        layout = QVBoxLayout(self)
        layout.addWidget(self.patient_label)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain = (
            self.product_input, self.start_date_input, self.prescriber_input, self.target_input,
            self.custom_target_input, self.lab_protocol_input, self.ipledge_date_input,
            self.weight_input.number_edit, self.weight_input.unit_input, self.mg_per_kg_day_input,
            self.override_reason_input, self.save_button, self.buttons.button(
                QDialogButtonBox.StandardButton.Cancel
            ),
        )  # fmt: skip
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.setMinimumWidth(720)  # the lab protocol titles fit without cutting
        self.product_input.setFocus()

    def _connect(self) -> None:
        self.product_input.currentIndexChanged.connect(self._on_inputs_changed)
        self.product_input.currentIndexChanged.connect(self._on_target_input_changed)
        self.start_date_input.date_edited.connect(self._on_inputs_changed)
        self.weight_input.weight_edited.connect(self._on_inputs_changed)
        self.mg_per_kg_day_input.textChanged.connect(self._on_inputs_changed)
        self.target_input.currentIndexChanged.connect(self._on_target_input_changed)

    @classmethod
    def ask(
        cls, ctx: Context, patient: PatientRecord, parent: QWidget | None = None
    ) -> CourseRecord | None:
        dialog = cls(ctx, patient, parent)
        dialog.exec()
        return dialog.result_record

    def _previous_last_dose(self) -> date | None:
        ended = [
            c.last_dose_on
            for c in self._courses
            if c.status is CourseStatus.ENDED and c.last_dose_on is not None
        ]
        return max(ended, default=None)

    def _show_hard_stops(self) -> None:
        """Stops no one can override, shown as soon as the dialog opens (the service checks
        them again on save)."""
        patient = self._patient
        facts = CourseStartFacts(
            risk_category=patient.risk_category,
            is_pregnant_or_breastfeeding=patient.is_pregnant_or_breastfeeding,
            has_retinoid_allergy=patient.has_retinoid_allergy,
            has_open_course=any(c.status is not CourseStatus.ENDED for c in self._courses),
            previous_last_dose_on=self._previous_last_dose(),
        )
        if stops := hard_stops(facts):
            self.problems.show_message(" ".join(stop.message for stop in stops))

    def _on_target_input_changed(self) -> None:
        is_custom = self.target_input.currentData() == CUSTOM_TARGET
        self.custom_target_input.setVisible(is_custom)
        product = load_formulary().find(self.product_input.currentData() or "")
        notes = target_notes(
            is_low_dose_formulation=bool(product and product.is_low_dose_formulation)
        )
        self.target_note_label.setText(" ".join(notes))
        self._form.setRowVisible(self.target_note_label, bool(notes))

    def _on_inputs_changed(self) -> None:
        weight = self.weight_input.weight()
        self.preview.update_from(
            PreviewRequest(
                weight_kg=weight.weight_kg if weight else None,
                mg_per_kg_day=self.mg_per_kg_day_input.text(),
                product=self.product_input.currentData() or "",
                birth_date=self._patient.birth_date,
                on=self.start_date_input.date_value(),
            )
        )
        self._update_override_row()

    def _update_override_row(self) -> None:
        last = self._previous_last_dose()
        start = self.start_date_input.date_value()
        needed = last is not None and start is not None and start < earliest_next_course(last)
        self._form.setRowVisible(self._override_row, needed)
        self._form.setRowVisible(self.override_hint_label, needed)
        if needed and last is not None:
            hint = OVERRIDE_HINT.format(last=last, earliest=earliest_next_course(last))
            if self._ctx.actor.role is not Role.PRESCRIBER:
                hint += NURSE_OVERRIDE_HINT
            self.override_hint_label.setText(hint)

    def _typing_problems(self) -> list[Problem]:
        """What cannot be read as typed; checked before the service sees a blank value."""
        found = []
        for field, date_input in (
            ("start_on", self.start_date_input),
            ("ipledge_enrolled_on", self.ipledge_date_input),
        ):
            if message := date_input.problem():
                found.append(Problem(field, message))
        if weight_problem := self.weight_input.problem():
            found.append(weight_problem)
        text = self.mg_per_kg_day_input.text()
        if text.strip() and isinstance(
            dose := parse_mg_per_kg_day(text, field="starting_mg_per_kg_day"), Problem
        ):
            found.append(dose)
        if isinstance(target := self._target(), Problem):
            found.append(target)
        return found

    def _target(self) -> Decimal | Problem | None:
        chosen = self.target_input.currentData()
        if chosen != CUSTOM_TARGET:
            return Decimal(chosen)
        if not self.custom_target_input.text().strip():
            return None
        parsed = parse_number(
            self.custom_target_input.text(),
            field="target_mg_per_kg",
            what="cumulative target in mg/kg",
            units={"mg/kg": "mg/kg"},
            example="180",
        )
        return parsed if isinstance(parsed, Problem) else parsed[0]

    def draft(self) -> CourseDraft:
        dose = parse_mg_per_kg_day(self.mg_per_kg_day_input.text())
        target = self._target()
        return CourseDraft(
            patient_id=self._patient.id,
            product=self.product_input.currentData() or "",
            start_on=self.start_date_input.date_value(),
            prescriber_id=self.prescriber_input.currentData(),
            target_mg_per_kg=target if isinstance(target, Decimal) else None,
            lab_protocol=self.lab_protocol_input.currentData() or "",
            starting_weight=self.weight_input.value(),
            starting_weight_unit=self.weight_input.unit(),
            starting_mg_per_kg_day=dose if isinstance(dose, Decimal) else None,
            ipledge_enrolled_on=self.ipledge_date_input.date_value(),
            override_reason=self.override_reason_input.text(),
        )

    def _show_problems(self, problems: tuple[Problem, ...]) -> None:
        """Hard stops (field 'patient') are listed together; the rest go beside fields."""
        mapped = tuple(
            replace(p, field=PROBLEM_FIELD_ALIASES.get(p.field, p.field)) for p in problems
        )
        self.problems.show(mapped)
        stops = [p.message for p in mapped if p.field == "patient"]
        if stops:
            self.error_label.setText(" ".join(stops))
        if any(p.field in ("override_reason", "start_on") for p in mapped):
            self._update_override_row()

    def _on_save_button_clicked(self) -> None:
        if problems := self._typing_problems():
            self._show_problems(tuple(problems))
            return
        try:
            self.result_record = start_course(self._ctx, self.draft())
        except ValidationFailed as refused:
            self._show_problems(refused.problems)
            return
        except IsoTrackError as error:  # NotAllowed, NotFound: no single field to blame
            self.problems.show_message(error.user_message())
            return
        self.accept()
