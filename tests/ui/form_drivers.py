"""Every data-entry dialog driven the same way, for the bad-input tables and the form fuzz
(issue 6 item 14).

A `Ward` is one clinic database shared by many rows or examples: staff of each role, a
patient and a course started on 2026-11-02. A `Form` knows how to open its dialog there,
which text boxes it has and of what kind, which choices and toggles, values that save, and
how to check that an accepted save reads back through the services exactly as the dialog
showed it. A dialog whose save uses up what it opened on (a stopped medication, a paused
course, a voided signature) opens on one of its own each time.
"""

import itertools
import shutil
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from decimal import Decimal
from enum import StrEnum
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import (
    QAbstractButton,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QWidget,
)
from sqlalchemy import String, func, select
from sqlalchemy.orm import Session

from db.base import Base
from db.models import (
    ConsentSignatureRow,
    ConsentTemplateVersionRow,
    CounselingConfirmationRow,
    FillRow,
    WeightRow,
)
from desktop.rules.clinic_forms import ClinicFormAudience
from desktop.rules.consents import ConsentForm
from desktop.rules.medications import MedicationDraft
from desktop.rules.units import WeightUnit
from desktop.services.clinic_forms import list_clinic_forms
from desktop.services.clinic_setup import SetupDraft, create_first_admin, get_clinic_settings
from desktop.services.consent_template_versions import consent_template_overview
from desktop.services.consents import ConsentDraft, consent_needs, record_consent_signature
from desktop.services.context import Clinic, Context, FixedClock, open_clinic
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import list_courses, pause_course
from desktop.services.course_overview import get_course_overview
from desktop.services.course_records import CourseRecord, CourseStatus
from desktop.services.ipledge_steps import confirm_counseling
from desktop.services.labs import LabEntryDraft, list_labs
from desktop.services.medications import MedicationRecord, add_medication, get_medication
from desktop.services.patients import get_patient, patient_history, register_patient
from desktop.services.records import PatientRecord
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft, add_staff, find_staff, sign_in
from desktop.services.visits import list_visits
from desktop.ui.chart.medication_dialog import MedicationDialog, StopMedicationDialog
from desktop.ui.consents.consent_correction_dialog import ConsentCorrectionDialog
from desktop.ui.consents.consent_sign_dialog import ConsentSignDialog
from desktop.ui.course.course_action_dialog import CourseAction, CourseActionDialog
from desktop.ui.course.dose_change_dialog import DoseChangeDialog
from desktop.ui.course.missed_days_dialog import MissedDaysDialog
from desktop.ui.course.start_course_dialog import CUSTOM_TARGET, StartCourseDialog
from desktop.ui.course.weight_dialog import WeightDialog
from desktop.ui.ipledge.contraception_dialog import ContraceptionDialog
from desktop.ui.ipledge.counseling_correction_dialog import CounselingCorrectionDialog
from desktop.ui.ipledge.fill_dialog import FillDialog
from desktop.ui.ipledge.pregnancy_test_dialog import PregnancyTestDialog
from desktop.ui.labs.lab_entry_dialog import LabEntryDialog
from desktop.ui.login.setup_dialog import SetupDialog
from desktop.ui.patients.patient_dialog import PatientDialog
from desktop.ui.settings.clinic_form_add_dialog import ClinicFormAddDialog
from desktop.ui.settings.clinic_settings_dialog import ClinicSettingsDialog
from desktop.ui.settings.consent_templates_dialog import ConsentTemplatesDialog, next_version
from desktop.ui.staff.staff_dialog import StaffDialog
from desktop.ui.visit.visit_dialog import VisitDialog
from tests.clinic_form_pdfs import form_pdf
from tests.conftest import NOW, PASSWORD, TODAY, patient_draft
from tests.services.test_courses import course_draft

COURSE_START = date(2026, 11, 2)
"""The ward's course starts here (tests.services.test_courses.course_draft)."""
STARTING_KG = Decimal(60)
PAUSED_ON = date(2026, 11, 10)
"""A paused course (for the resume dialog) has been paused since this day."""
MEDICATION_STARTED_ON = date(2025, 6, 1)
"""A medication to stop started on this day (the patient was born on 2001-03-14)."""
SIGNED_ON = date(2026, 11, 19)
"""A consent signature to correct is dated this day, and a counselling confirmation to
correct was confirmed on it: the valid correction moves it a day earlier."""
SIGNED_VERSION = "2026.1"


class Kind(StrEnum):
    """What a text box holds; the fuzz draws near-valid text of this kind."""

    DATE = "date"
    DAYS = "days"  # missed days: dates and ranges
    WEIGHT = "weight"
    DOSE = "dose"  # mg/kg/day
    TARGET = "target"  # cumulative mg/kg
    WHOLE = "whole"  # days' supply, capsules
    LAB = "lab"
    VERSION = "version"  # a consent template's YEAR.REVISION
    TEXT = "text"
    PASSWORD = "password"


TextBox = QLineEdit | QPlainTextEdit


@dataclass
class Ward:
    clinic: Clinic
    admin: Context
    nurse: Context
    prescriber: Context
    patient: PatientRecord
    course: CourseRecord
    template: str
    folder: Path
    numbers: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    def new_patient(self) -> PatientRecord:
        """An adult with no course yet (for the start-course dialog)."""
        return register_patient(self.nurse, patient_draft(mrn=f"NEW-{next(self.numbers)}"))

    def refresh_course(self) -> None:
        """The course at its current version (a visit or a dose change bumps it)."""
        courses = list_courses(self.nurse, self.course.patient_id)
        self.course = next(c for c in courses if c.id == self.course.id)

    def new_course(self) -> CourseRecord:
        """A course of its own (started 2026-11-02) for a dialog whose save changes it for
        good: a pause, an end, a dose change on a given day."""
        patient = self.new_patient()
        return start_course(self.nurse, course_draft(self.nurse, patient.id))

    def paused_course(self) -> CourseRecord:
        """A course of its own, paused since PAUSED_ON (for the resume dialog)."""
        course = self.new_course()
        return pause_course(self.nurse, course.id, course.version, PAUSED_ON, "acne flare")

    def new_medication(self) -> MedicationRecord:
        """A medication still taken, on a patient of its own (for the stop dialog)."""
        draft = MedicationDraft("Cetirizine", "10 mg daily", MEDICATION_STARTED_ON)
        return add_medication(self.nurse, self.new_patient().id, draft)

    def pdf_file(self) -> Path:
        """A readable one-page PDF, the clinic's own form, for the add-form dialog."""
        path = self.folder / "clinic-form.pdf"
        if not path.exists():
            path.write_bytes(form_pdf("CLINIC FORM"))
        return path

    def empty_clinic(self) -> Clinic:
        """A database with no administrator yet, for the first-start dialog."""
        return _open_copy(self.template, self.folder / f"setup-{next(self.numbers)}.db")


def _open_copy(template: str, path: Path) -> Clinic:
    shutil.copyfile(template, path)
    return open_clinic(f"sqlite:///{path}", clock=FixedClock(NOW), workstation="test-workstation")


def open_ward(template: str, folder: Path) -> Ward:
    """The same people and course as the function-scoped fixtures of tests/conftest.py."""
    clinic = _open_copy(template, folder / "ward.db")
    admin = create_first_admin(
        clinic,
        SetupDraft("Riverside Dermatology", StaffDraft("admin", "Ada Admin", Role.ADMIN, PASSWORD)),
    )
    add_staff(admin, StaffDraft("nina", "Nina Nurse", Role.NURSE, PASSWORD))
    add_staff(admin, StaffDraft("drpark", "Dr Priya Park", Role.PRESCRIBER, PASSWORD))
    nurse = sign_in(clinic, "nina", PASSWORD)
    prescriber = sign_in(clinic, "drpark", PASSWORD)
    patient = register_patient(nurse, patient_draft())
    course = start_course(nurse, course_draft(nurse, patient.id))
    return Ward(clinic, admin, nurse, prescriber, patient, course, template, folder)


def row_counts(clinic: Clinic) -> dict[str, int]:
    """Rows in every table (audit entries included): a refused save changes none of them."""
    with clinic.sessions.read() as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in Base.metadata.sorted_tables
        }


def text_no_database_holds(clinic: Clinic) -> list[str]:
    """Stored text PostgreSQL would have refused: longer than its column, or holding NUL.
    SQLite stores both, so this shows on SQLite what would fail on a clinic's PostgreSQL."""
    found = []
    with clinic.sessions.read() as session:
        for table in Base.metadata.sorted_tables:
            for column in table.columns:
                if not isinstance(column.type, String):
                    continue
                for value in session.scalars(select(column).where(column.is_not(None))):
                    too_long = column.type.length is not None and len(value) > column.type.length
                    if too_long or "\x00" in value:
                        found.append(f"{table.name}.{column.name}: {value[:40]!r}")
    return found


def widget(dialog: QWidget, path: str) -> Any:
    """`dialog.weight_input.number_edit` from "weight_input.number_edit"."""
    found: Any = dialog
    for name in path.split("."):
        found = getattr(found, name)
    return found


def put(box: TextBox, text: str) -> None:
    """Replace the text as a paste would (any characters; keyClicks only takes ASCII)."""
    if isinstance(box, QPlainTextEdit):
        box.setPlainText(text)
    else:
        box.setText(text)


def text_of(box: TextBox) -> str:
    return box.toPlainText() if isinstance(box, QPlainTextEdit) else box.text()


def click_save(dialog: QDialog) -> None:
    """Every form calls its button `save_button`, except first start's `create_button`."""
    button = getattr(dialog, "save_button", None) or getattr(dialog, "create_button")  # noqa: B009
    QTest.mouseClick(button, Qt.MouseButton.LeftButton)


def choose(combo: QComboBox, data: object) -> None:
    index = combo.findData(data)
    assert index >= 0, f"{data!r} is not offered"
    combo.setCurrentIndex(index)


def problem_shown(dialog: Any, field_name: str) -> str:
    """The message beside `field_name` (empty if none is shown there)."""
    problems = dialog.form.problems if isinstance(dialog, PatientDialog) else dialog.problems
    label: QLabel = problems.problem_label(field_name)
    return label.text() if label.isVisibleTo(dialog) else ""


def error_shown(dialog: Any) -> str:
    """The dialog's summary line under the form (every refusal writes one)."""
    label: QLabel = dialog.error_label
    return label.text()


@dataclass(frozen=True)
class Form:
    """How to drive one dialog. `inputs` maps the attribute path of each text box to its
    kind and to the field name its problems are shown under."""

    name: str
    open: Callable[[Ward], QDialog]
    inputs: Mapping[str, tuple[Kind, str]]
    valid: Callable[[Ward], Mapping[str, str]]
    """Text for every box such that Save succeeds (after `prepare`)."""
    check_saved: Callable[[Ward, QDialog], None]
    choices: Callable[[Any], list[QComboBox]] = lambda _dialog: []
    toggles: Callable[[Any], list[QAbstractButton]] = lambda _dialog: []
    prepare: Callable[[Ward, Any], None] = lambda _ward, _dialog: None
    """Choose what Save needs beyond the text boxes (a result, a PHQ-2 answer …)."""
    after_save: Callable[[Ward, QDialog], None] = lambda _ward, _dialog: None
    """Bring the ward up to date after an accepted save (a new course version …)."""
    reuse_after_save: bool = True
    """False when an accepted save makes the same dialog unusable (its course is stale)."""

    def boxes(self, dialog: QDialog) -> dict[str, TextBox]:
        return {path: widget(dialog, path) for path in self.inputs}

    def fill(self, ward: Ward, dialog: QDialog, **changes: str) -> None:
        """Valid text everywhere except `changes` (attribute paths with '.' as '__')."""
        self.prepare(ward, dialog)
        typed = dict(self.valid(ward))
        typed.update({path.replace("__", "."): text for path, text in changes.items()})
        for path, text in typed.items():
            put(widget(dialog, path), text)


# --- patient -------------------------------------------------------------------------------


def _patient_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, PatientDialog)
    record = dialog.result_record
    assert record is not None
    assert get_patient(ward.nurse, record.id) == record
    draft = dialog.form.draft()
    assert (record.mrn, record.legal_name, record.preferred_name) == (
        draft.mrn.strip(),
        draft.legal_name.strip(),
        draft.preferred_name.strip(),
    )
    assert (record.birth_date, record.sex_at_birth, record.risk_category) == (
        draft.birth_date,
        draft.sex_at_birth,
        draft.risk_category,
    )
    assert (record.phone, record.email, record.allergies) == (
        draft.phone.strip(),
        draft.email.strip(),
        draft.allergies.strip(),
    )


def _patient_prepare(_ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, PatientDialog)
    choose(dialog.form.sex_input, "female")


PATIENT = Form(
    name="patient",
    open=lambda ward: PatientDialog(ward.nurse),
    inputs={
        "form.mrn_input": (Kind.TEXT, "mrn"),
        "form.legal_name_input": (Kind.TEXT, "legal_name"),
        "form.preferred_name_input": (Kind.TEXT, "preferred_name"),
        "form.birth_date_input": (Kind.DATE, "birth_date"),
        "form.ipledge_id_input": (Kind.TEXT, "ipledge_patient_id"),
        "form.phone_input": (Kind.TEXT, "phone"),
        "form.email_input": (Kind.TEXT, "email"),
        "form.allergies_input": (Kind.TEXT, "allergies"),
        "form.guardian_name_input": (Kind.TEXT, "guardian_name"),
        "form.guardian_relationship_input": (Kind.TEXT, "guardian_relationship"),
    },
    valid=lambda ward: {
        "form.mrn_input": f"MRN-{next(ward.numbers)}",
        "form.legal_name_input": "Zoë Núñez",
        "form.preferred_name_input": "",
        "form.birth_date_input": "2001-03-14",
        "form.ipledge_id_input": "",
        "form.phone_input": "",
        "form.email_input": "",
        "form.allergies_input": "",
        "form.guardian_name_input": "",
        "form.guardian_relationship_input": "",
    },
    check_saved=_patient_check,
    choices=lambda d: [d.form.sex_input, d.form.risk_category_input],
    toggles=lambda d: [d.form.retinoid_allergy_input, d.form.pregnant_input],
    prepare=_patient_prepare,
)


def _edit_patient_open(ward: Ward) -> QDialog:
    return PatientDialog(ward.nurse, existing=ward.new_patient())


EDIT_PATIENT = replace(
    PATIENT,
    name="edit_patient",
    open=_edit_patient_open,
    reuse_after_save=False,  # the patient is at a new version: a new one for the next
)


# --- course: start, dose change, weight, missed days ---------------------------------------


def _weight_row(ward: Ward) -> WeightRow:
    with ward.clinic.sessions.read() as session:
        row = session.scalars(select(WeightRow).order_by(WeightRow.id.desc()).limit(1)).one()
        session.expunge(row)
        return row


def _assert_weight_saved(ward: Ward, course_id: int, on: date, typed: Any) -> None:
    """The number and unit as typed, exactly; kg as the service uses it (stored to 0.1 g)."""
    weight = typed.weight()
    assert weight is not None
    row = _weight_row(ward)
    assert (row.course_id, row.measured_on) == (course_id, on)
    assert (row.entered_value, WeightUnit(row.entered_unit)) == (
        weight.entered,
        weight.entered_unit,
    )
    used = {w.measured_on: w.weight_kg for w in get_course_overview(ward.nurse, course_id).weights}
    assert abs(used[on] - weight.weight_kg) <= Decimal("0.00005")


def _start_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, StartCourseDialog)
    record = dialog.result_record
    assert record is not None
    stored = next(c for c in list_courses(ward.nurse, record.patient_id) if c.id == record.id)
    assert stored.start_on == dialog.start_date_input.date_value()
    assert stored.ipledge_enrolled_on == dialog.ipledge_date_input.date_value()
    draft = dialog.draft()
    assert stored.target_mg_per_kg == draft.target_mg_per_kg
    assert stored.product == draft.product
    assert stored.start_on is not None
    _assert_weight_saved(ward, record.id, stored.start_on, dialog.weight_input)


def _start_open(ward: Ward) -> QDialog:
    return StartCourseDialog(ward.nurse, ward.new_patient())


def _start_prepare(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, StartCourseDialog)
    choose(dialog.product_input, "generic")
    choose(dialog.prescriber_input, ward.prescriber.actor.user_id)
    choose(dialog.lab_protocol_input, "clinic-monthly")
    choose(dialog.target_input, CUSTOM_TARGET)
    choose(dialog.weight_input.unit_input, "kg")


START_COURSE = Form(
    name="start_course",
    open=_start_open,
    inputs={
        "start_date_input": (Kind.DATE, "start_on"),
        "custom_target_input": (Kind.TARGET, "target_mg_per_kg"),
        "ipledge_date_input": (Kind.DATE, "ipledge_enrolled_on"),
        "weight_input.number_edit": (Kind.WEIGHT, "starting_weight"),
        "mg_per_kg_day_input": (Kind.DOSE, "starting_mg_per_kg_day"),
        "override_reason_input": (Kind.TEXT, "override_reason"),
    },
    valid=lambda _ward: {
        "start_date_input": "2026-11-20",
        "custom_target_input": "150",
        "ipledge_date_input": "",
        "weight_input.number_edit": "60",
        "mg_per_kg_day_input": "0.5",
        "override_reason_input": "",
    },
    check_saved=_start_check,
    choices=lambda d: [
        d.product_input,
        d.prescriber_input,
        d.target_input,
        d.lab_protocol_input,
        d.weight_input.unit_input,
    ],
    prepare=_start_prepare,
    reuse_after_save=False,  # the patient now has a course: a new patient, a new dialog
)


def free_dose_day(ward: Ward) -> str:
    """A day from the course start to today on which no dose starts yet."""
    taken = {p.starts_on for p in get_course_overview(ward.nurse, ward.course.id).dose_periods}
    days = (COURSE_START.replace(day=COURSE_START.day + n) for n in range(1, 19))
    return next((d for d in days if d not in taken), TODAY).isoformat()  # all taken: refused


def last_requested_dose(ward: Ward, patient_id: int) -> Decimal:
    """The mg/kg/day the newest dose period was worked out from, from the patient's history."""
    for entry in patient_history(ward.nurse, patient_id):
        for change in entry.changes:
            if change.field == "mg_per_kg_day_requested":
                return Decimal(change.new)
    raise AssertionError("no dose period in the history")


def on_own_course(form: Form) -> Form:
    """`form` opened each time on a course of its own (a new patient's): a save that takes a
    day on the course (a dose change, a visit's dose decision) leaves the next row free."""

    def open_on_new_course(ward: Ward) -> QDialog:
        ward.course = ward.new_course()
        return form.open(ward)

    return replace(form, open=open_on_new_course, reuse_after_save=False)


def _dose_change_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, DoseChangeDialog)
    record = dialog.result_record
    assert record is not None
    draft = dialog.draft()
    overview = get_course_overview(ward.nurse, record.id)
    starts = {p.starts_on for p in overview.dose_periods}
    assert draft.starts_on in starts
    if draft.starts_on == max(starts):  # a back-dated change leaves the current product
        assert overview.course.product == draft.product == record.product


def _dose_change_open(ward: Ward) -> QDialog:
    return DoseChangeDialog(ward.prescriber, ward.course, STARTING_KG)


def _dose_change_prepare(_ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, DoseChangeDialog)
    choose(dialog.product_input, "generic")
    dialog.prescriber_override_input.setChecked(False)


def _course_saved(ward: Ward, _dialog: QDialog) -> None:
    ward.refresh_course()


DOSE_CHANGE = Form(
    name="dose_change",
    open=_dose_change_open,
    inputs={
        "starts_on_input": (Kind.DATE, "starts_on"),
        "mg_per_kg_day_input": (Kind.DOSE, "mg_per_kg_day"),
        "reason_input": (Kind.TEXT, "reason"),
    },
    valid=lambda ward: {
        "starts_on_input": free_dose_day(ward),
        "mg_per_kg_day_input": "1",
        "reason_input": "tolerating well",
    },
    check_saved=_dose_change_check,
    choices=lambda d: [d.product_input],
    toggles=lambda d: [d.prescriber_override_input],
    prepare=_dose_change_prepare,
    after_save=_course_saved,
    reuse_after_save=False,
)


def _weight_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, WeightDialog)
    draft = dialog.result_record
    assert draft is not None
    assert draft.measured_on is not None
    assert draft.measured_on == dialog.measured_on_input.date_value()
    _assert_weight_saved(ward, ward.course.id, draft.measured_on, dialog.weight_input)


WEIGHT = Form(
    name="weight",
    open=lambda ward: WeightDialog(ward.nurse, ward.course.id),
    inputs={
        "measured_on_input": (Kind.DATE, "measured_on"),
        "weight_input.number_edit": (Kind.WEIGHT, "weight"),
    },
    valid=lambda _ward: {"measured_on_input": "2026-11-20", "weight_input.number_edit": "61.5"},
    check_saved=_weight_check,
    choices=lambda d: [d.weight_input.unit_input],
)


def _missed_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, MissedDaysDialog)
    typed = dialog.missed_days_input.days()
    assert typed
    missed = set(get_course_overview(ward.nurse, ward.course.id).missed_days)
    assert set(typed) <= missed


MISSED_DAYS = Form(
    name="missed_days",
    open=lambda ward: MissedDaysDialog(ward.nurse, ward.course.id),
    inputs={"missed_days_input.dates_edit": (Kind.DAYS, "missed_days")},
    valid=lambda _ward: {"missed_days_input.dates_edit": "2026-11-08, 2026-11-12 to 2026-11-13"},
    check_saved=_missed_check,
)


# --- medications: add, stop ----------------------------------------------------------------


def _medication_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, MedicationDialog)
    record = dialog.result_record
    assert record is not None
    assert get_medication(ward.nurse, record.id) == record
    assert (record.name, record.dose, record.started_on) == (
        dialog.name_input.text().strip(),
        dialog.dose_input.text().strip(),
        dialog.started_on_input.date_value(),
    )


MEDICATION = Form(
    name="medication",
    open=lambda ward: MedicationDialog(ward.nurse, ward.patient.id),
    inputs={
        "name_input": (Kind.TEXT, "name"),
        "dose_input": (Kind.TEXT, "dose"),
        "started_on_input": (Kind.DATE, "started_on"),
    },
    valid=lambda _ward: {
        "name_input": "Cetirizine",
        "dose_input": "10 mg daily",
        "started_on_input": "2026-10-01",
    },
    check_saved=_medication_check,
)


def _edit_medication_open(ward: Ward) -> QDialog:
    medication = ward.new_medication()
    return MedicationDialog(ward.nurse, medication.patient_id, existing=medication)


EDIT_MEDICATION = replace(
    MEDICATION,
    name="edit_medication",
    open=_edit_medication_open,
    reuse_after_save=False,  # the entry is at a new version: a new one for the next
)


def _stop_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, StopMedicationDialog)
    record = dialog.result_record
    assert record is not None
    assert get_medication(ward.nurse, record.id) == record
    assert (record.stopped_on, record.stop_reason) == (
        dialog.stopped_on_input.date_value(),
        dialog.reason_input.text().strip(),
    )


STOP_MEDICATION = Form(
    name="stop_medication",
    open=lambda ward: StopMedicationDialog(ward.nurse, ward.new_medication()),
    inputs={
        "stopped_on_input": (Kind.DATE, "stopped_on"),
        "reason_input": (Kind.TEXT, "stop_reason"),
    },
    valid=lambda _ward: {"stopped_on_input": "2026-11-20", "reason_input": "rash settled"},
    check_saved=_stop_check,
    reuse_after_save=False,  # the medication is stopped now: a new one for the next
)


# --- course actions: pause, resume, end ----------------------------------------------------


def _course_action_check(ward: Ward, dialog: QDialog) -> None:
    """The course as saved, read back: its status and the day typed, the reason stripped."""
    assert isinstance(dialog, CourseActionDialog)
    record = dialog.result_record
    assert record is not None
    on = dialog.date_input.date_value()
    overview = get_course_overview(ward.nurse, record.id)
    assert overview.course == record
    reason = dialog.reason_input.text().strip()
    if dialog.action is CourseAction.PAUSE:
        assert record.status is CourseStatus.PAUSED
        assert (overview.pauses[-1].paused_on, overview.pauses[-1].pause_reason) == (on, reason)
        assert overview.pauses[-1].resumed_on is None
    elif dialog.action is CourseAction.RESUME:
        assert record.status is CourseStatus.ACTIVE
        assert (overview.pauses[-1].resumed_on, overview.pauses[-1].resume_reason) == (on, reason)
    else:
        assert (record.status, record.last_dose_on) == (CourseStatus.ENDED, on)


def _course_action(action: CourseAction) -> Form:
    opens: dict[CourseAction, Callable[[Ward], CourseRecord]] = {
        CourseAction.PAUSE: Ward.new_course,
        CourseAction.RESUME: Ward.paused_course,
        CourseAction.END: Ward.new_course,
    }
    inputs = {"date_input": (Kind.DATE, "date")}
    if action is not CourseAction.END:  # end_course takes no reason: its box is hidden
        inputs["reason_input"] = (Kind.TEXT, "reason")
    return Form(
        name=f"{action}_course",
        open=lambda ward: CourseActionDialog(ward.nurse, opens[action](ward), action),
        inputs=inputs,
        valid=lambda _ward: {
            path: text
            for path, text in (("date_input", "2026-11-20"), ("reason_input", "acne flare"))
            if path in inputs
        },
        check_saved=_course_action_check,
        reuse_after_save=False,  # the course has moved on: a new course for the next
    )


PAUSE_COURSE = _course_action(CourseAction.PAUSE)
RESUME_COURSE = _course_action(CourseAction.RESUME)
END_COURSE = _course_action(CourseAction.END)


# --- visit ---------------------------------------------------------------------------------


def _visit_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, VisitDialog)
    record = dialog.result_record
    assert record is not None
    stored = next(v for v in list_visits(ward.nurse, ward.course.id) if v.id == record.id)
    assert stored.seen_on == dialog.seen_on_input.date_value()
    assert stored.next_visit_on == dialog.next_visit_input.date_value()
    assert stored.notes == dialog.notes_input.toPlainText().strip()
    assert stored.mood is not None  # None only for visits moved in; the dialog screens mood
    assert stored.mood.phq2.items == dialog.mood_panel.phq2_items() or (
        dialog.mood_panel.phq2_items() is None and stored.mood.phq9 is not None
    )
    if dialog.weight_input.weight() is not None:
        assert stored.seen_on is not None
        _assert_weight_saved(ward, ward.course.id, stored.seen_on, dialog.weight_input)


def _visit_prepare(_ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, VisitDialog)
    for box in dialog.mood_panel.question_inputs:
        choose(box, 0)
    for checkbox in dialog.side_effects_panel.checkboxes.values():
        checkbox.setChecked(False)
    dialog.dose_decision_panel.continue_input.setChecked(True)


def _visit_choices(dialog: QDialog) -> list[QComboBox]:
    assert isinstance(dialog, VisitDialog)
    return [
        dialog.weight_input.unit_input,
        *dialog.mood_panel.question_inputs,
        *list(dialog.side_effects_panel.severity_inputs.values())[:4],
        dialog.dose_decision_panel.product_input,
    ]


def _visit_toggles(dialog: QDialog) -> list[QAbstractButton]:
    assert isinstance(dialog, VisitDialog)
    return [
        *list(dialog.side_effects_panel.checkboxes.values())[:4],
        dialog.mood_panel.phq9_toggle,
        *list(dialog.counseling_panel.checkboxes.values())[:2],
        dialog.dose_decision_panel.change_input,
        dialog.dose_decision_panel.prescriber_override_input,
    ]


VISIT = Form(
    name="visit",
    open=lambda ward: VisitDialog(ward.nurse, ward.course),
    inputs={
        "seen_on_input": (Kind.DATE, "seen_on"),
        "weight_input.number_edit": (Kind.WEIGHT, "weight"),
        "missed_days_input.dates_edit": (Kind.DAYS, "missed_days"),
        "notes_input": (Kind.TEXT, "notes"),
        "next_visit_input": (Kind.DATE, "next_visit_on"),
        "dose_decision_panel.mg_per_kg_day_input": (Kind.DOSE, "mg_per_kg_day"),
        "dose_decision_panel.reason_input": (Kind.TEXT, "reason"),
    },
    valid=lambda _ward: {
        "seen_on_input": "2026-11-20",
        "weight_input.number_edit": "61",
        "missed_days_input.dates_edit": "",
        "notes_input": "",
        "next_visit_input": "2026-12-18",
        "dose_decision_panel.mg_per_kg_day_input": "",
        "dose_decision_panel.reason_input": "",
    },
    check_saved=_visit_check,
    choices=_visit_choices,
    toggles=_visit_toggles,
    prepare=_visit_prepare,
    after_save=_course_saved,
    reuse_after_save=False,
)


# --- iPLEDGE steps: pregnancy test, contraception, fill --------------------------------------


def _facts(ward: Ward) -> Any:
    facts = get_course_overview(ward.nurse, ward.course.id).facts
    assert facts is not None
    return facts


def _pregnancy_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, PregnancyTestDialog)
    saved = dialog.result_record
    assert saved is not None
    assert saved == dialog.typed()
    assert saved in _facts(ward).pregnancy_tests


def _pregnancy_prepare(_ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, PregnancyTestDialog)
    choose(dialog.result_input, "negative")


PREGNANCY_TEST = Form(
    name="pregnancy_test",
    open=lambda ward: PregnancyTestDialog(ward.nurse, ward.course.id),
    inputs={
        "specimen_input": (Kind.DATE, "specimen_on"),
        "verified_by_input": (Kind.TEXT, "verified_by"),
    },
    valid=lambda _ward: {"specimen_input": "2026-11-20", "verified_by_input": "Nina Nurse"},
    check_saved=_pregnancy_check,
    choices=lambda d: [
        d.purpose_input,
        d.setting_input,
        d.method_input,
        d.result_input,
        d.verification_input,
        d.clia_input,
    ],
    prepare=_pregnancy_prepare,
)


def _contraception_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, ContraceptionDialog)
    saved = dialog.result_record
    assert saved is not None
    assert saved == dialog.typed()
    assert saved in _facts(ward).contraception


def _contraception_prepare(_ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, ContraceptionDialog)
    dialog.abstinence_choice.setChecked(True)


CONTRACEPTION = Form(
    name="contraception",
    open=lambda ward: ContraceptionDialog(ward.nurse, ward.course.id),
    inputs={"starts_input": (Kind.DATE, "starts_on")},
    valid=lambda _ward: {"starts_input": "2026-11-02"},
    check_saved=_contraception_check,
    choices=lambda d: [d.primary_input, d.secondary_input],
    toggles=lambda d: [d.abstinence_choice, d.two_methods_choice],
    prepare=_contraception_prepare,
)


def _fill_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, FillDialog)
    saved = dialog.result_record
    assert saved is not None
    assert saved == dialog.typed()
    assert saved.fill in _facts(ward).fills
    with ward.clinic.sessions.read() as session:
        capsules = session.scalar(select(FillRow.capsules).order_by(FillRow.id.desc()).limit(1))
    assert capsules == saved.capsules


FILL = Form(
    name="fill",
    open=lambda ward: FillDialog(ward.nurse, ward.course.id),
    inputs={
        "filled_input": (Kind.DATE, "filled_on"),
        "days_supply_input": (Kind.WHOLE, "days_supply"),
        "capsules_input": (Kind.WHOLE, "capsules"),
    },
    valid=lambda _ward: {
        "filled_input": "2026-11-20",
        "days_supply_input": "30",
        "capsules_input": "",
    },
    check_saved=_fill_check,
)


# --- labs ----------------------------------------------------------------------------------


def _lab_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, LabEntryDialog)
    record = dialog.result_record
    assert record is not None
    typed = dialog.typed()
    assert isinstance(typed, LabEntryDraft)
    stored = next(r for r in list_labs(ward.nurse, ward.course.id) if r.id == record.id)
    assert (stored.panel, stored.ordered_on, stored.drawn_on, stored.results) == (
        typed.panel,
        typed.ordered_on,
        typed.drawn_on,
        typed.results,
    )


LAB_VALID_ROWS = {
    "alt": ("30", "7", "40"),
    "ast": ("28", "10", "35"),
    "alp": ("80", "40", "129"),
    "total_bilirubin": ("0.6", "0.1", "1.2"),
    "total_cholesterol": ("180", "", "200"),
    "ldl": ("100", "0", "130"),
    "hdl": ("55", "40", ""),
    "triglycerides": ("182", "", "150"),
    "wbc": ("6.2", "4.0", "11.0"),
    "hemoglobin": ("13.5", "12", "15.5"),
    "platelets": ("250", "150", "450"),
}
"""Value, lowest and highest normal of every analyte row (the chosen panel's are sent)."""
LAB_BOXES = ("value_edit", "lower_edit", "upper_edit")

LAB = Form(
    name="lab",
    open=lambda ward: LabEntryDialog(ward.nurse, ward.course.id),
    inputs={
        "ordered_input": (Kind.DATE, "ordered_on"),
        "drawn_input": (Kind.DATE, "drawn_on"),
        **{
            f"{analyte}_input.{box}": (Kind.LAB, analyte)
            for analyte in LAB_VALID_ROWS
            for box in LAB_BOXES
        },
    },
    valid=lambda _ward: {
        "ordered_input": "2026-11-18",
        "drawn_input": "2026-11-19",
        **{
            f"{analyte}_input.{box}": text
            for analyte, texts in LAB_VALID_ROWS.items()
            for box, text in zip(LAB_BOXES, texts, strict=True)
        },
    },
    check_saved=_lab_check,
    choices=lambda d: [d.panel_input, *d.unit_inputs()],
)


# --- consent, staff, first start ------------------------------------------------------------


def _assert_consent_row(row: ConsentSignatureRow | None, draft: ConsentDraft) -> None:
    """The stored signature holds the draft's values, as the services strip them."""
    assert row is not None
    stored = (row.form, row.template_version, row.signed_on, row.prescriber_name)
    people = (row.guardian_name, row.guardian_relationship, row.witness_name)
    assert stored == (
        draft.form.value,
        draft.template_version,
        draft.signed_on,
        draft.prescriber_name.strip(),
    )
    assert people == (
        draft.guardian_name.strip(),
        draft.guardian_relationship.strip(),
        draft.witness_name.strip(),
    )


def _consent_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, ConsentSignDialog)
    record = dialog.result_record
    draft = dialog.draft()
    assert record is not None
    assert draft is not None
    with ward.clinic.sessions.read() as session:
        _assert_consent_row(session.get(ConsentSignatureRow, record.id), draft)


CONSENT = Form(
    name="consent",
    open=lambda ward: ConsentSignDialog(
        ward.nurse, ward.patient, consent_needs(ward.nurse, ward.patient.id)
    ),
    inputs={
        "signed_input": (Kind.DATE, "signed_on"),
        "prescriber_input": (Kind.TEXT, "prescriber_name"),
        "guardian_name_input": (Kind.TEXT, "guardian_name"),
        "guardian_relationship_input": (Kind.TEXT, "guardian_relationship"),
        "witness_input": (Kind.TEXT, "witness_name"),
        "password_input": (Kind.PASSWORD, "password"),
    },
    valid=lambda _ward: {
        "signed_input": "2026-11-20",
        "prescriber_input": "Dr Priya Park",
        "guardian_name_input": "",
        "guardian_relationship_input": "",
        "witness_input": "",
        "password_input": PASSWORD,
    },
    check_saved=_consent_check,
    choices=lambda d: [d.form_input, d.version_input],
)


# --- corrections of signed records: a consent signature, a counselling confirmation -------

CORRECTION_REASON = "Signed on the 18th; recorded as the 19th"


def _saved_and_voided(session: Session, dialog: Any) -> tuple[Any, Any]:
    """The row a correction dialog saved, and the signed row it voided: the one it opened
    on, which is the row saved when it voided rather than corrected."""
    if isinstance(dialog, ConsentCorrectionDialog):
        assert dialog.result_record is not None
        model: Any = ConsentSignatureRow
        saved = session.get(model, dialog.result_record.id)
    else:
        model = CounselingConfirmationRow
        saved = session.get(model, dialog.result_record)
    assert saved is not None
    voided = saved if dialog.is_voiding() else session.get(model, saved.replaces_id)
    assert voided is not None
    return saved, voided


def voided_reason(ward: Ward, dialog: QDialog) -> str | None:
    """The reason kept with the signed record a correction dialog voided."""
    with ward.clinic.sessions.read() as session:
        reason: str | None = _saved_and_voided(session, dialog)[1].void_reason
        return reason


def _assert_voided(session: Session, row: Any, by: Context, dialog: Any) -> None:
    """`row` voided by `by` with the reason as typed (stripped), and replaced by a new row
    exactly when the dialog corrected rather than voided it."""
    assert row.voided_at is not None
    assert (row.voided_by_name, row.void_reason) == (
        by.actor.display_name,
        dialog.reason_input.text().strip(),
    )
    model = type(row)
    replacement = session.scalar(select(model.id).where(model.replaces_id == row.id))
    assert (replacement is None) == dialog.is_voiding()


def _consent_correction_open(ward: Ward) -> QDialog:
    """On a signature of its own (a new patient's informed consent, dated SIGNED_ON): an
    accepted save voids it, so the next row or example needs another."""
    patient = ward.new_patient()
    draft = ConsentDraft(
        patient.id, ConsentForm.INFORMED_CONSENT, SIGNED_VERSION, SIGNED_ON, "Dr Priya Park"
    )
    signed = record_consent_signature(ward.nurse, draft, PASSWORD)
    return ConsentCorrectionDialog(ward.nurse, patient, signed)


def _consent_correction_check(ward: Ward, dialog: QDialog) -> None:
    """A correction: the new signature holds the values shown and replaces the one opened,
    which is voided with the reason. A void: the one opened, voided, replaced by none."""
    assert isinstance(dialog, ConsentCorrectionDialog)
    with ward.clinic.sessions.read() as session:
        saved, voided = _saved_and_voided(session, dialog)
        if not dialog.is_voiding():
            _assert_consent_row(saved, dialog.draft())
        _assert_voided(session, voided, ward.nurse, dialog)


def _correction(
    name: str,
    opens: Callable[[Ward], QDialog],
    inputs: Mapping[str, tuple[Kind, str]],
    valid: Mapping[str, str],
    check_saved: Callable[[Ward, QDialog], None],
    choices: Callable[[Any], list[QComboBox]] = lambda _dialog: [],
) -> Form:
    """A correction dialog's own boxes, then the reason and the password every one takes;
    'recorded in error' toggled, unticked to fill in valid values (choices back to the
    first). An accepted save voids what it opened on: another for the next."""

    def correcting(_ward: Ward, dialog: Any) -> None:
        dialog.void_input.setChecked(False)
        for combo in choices(dialog):
            combo.setCurrentIndex(0)

    return Form(
        name=name,
        open=opens,
        inputs={
            **inputs,
            "reason_input": (Kind.TEXT, "reason"),
            "password_input": (Kind.PASSWORD, "password"),
        },
        valid=lambda _ward: {
            **valid,
            "reason_input": CORRECTION_REASON,
            "password_input": PASSWORD,
        },
        check_saved=check_saved,
        choices=choices,
        toggles=lambda d: [d.void_input],
        prepare=correcting,
        reuse_after_save=False,
    )


CONSENT_CORRECTION = _correction(
    "consent_correction",
    _consent_correction_open,
    {
        "signed_input": (Kind.DATE, "signed_on"),
        "prescriber_input": (Kind.TEXT, "prescriber_name"),
        "guardian_name_input": (Kind.TEXT, "guardian_name"),
        "guardian_relationship_input": (Kind.TEXT, "guardian_relationship"),
        "witness_input": (Kind.TEXT, "witness_name"),
    },
    {
        "signed_input": "2026-11-18",
        "prescriber_input": "Dr Priya Park",
        "guardian_name_input": "",
        "guardian_relationship_input": "",
        "witness_input": "",
    },
    _consent_correction_check,
    choices=lambda d: [d.version_input],
)


def _counseling_correction_open(ward: Ward) -> QDialog:
    """On a confirmation of its own (the prescriber's, on a course of its own, confirmed on
    SIGNED_ON): an accepted save voids it, so the next row or example needs another."""
    course = ward.new_course()
    confirmed = confirm_counseling(ward.prescriber, course.id, SIGNED_ON, PASSWORD)
    on_record = get_course_overview(ward.prescriber, course.id).counseling_confirmations
    signed = next(c for c in on_record if c.id == confirmed)
    return CounselingCorrectionDialog(ward.prescriber, signed)


def _counseling_correction_check(ward: Ward, dialog: QDialog) -> None:
    """A correction: the new confirmation, the prescriber's, on the day shown, replaces the
    one opened, which is voided with the reason. A void: the one opened, voided, replaced by
    none."""
    assert isinstance(dialog, CounselingCorrectionDialog)
    with ward.clinic.sessions.read() as session:
        saved, voided = _saved_and_voided(session, dialog)
        if not dialog.is_voiding():
            assert (saved.confirmed_on, saved.prescriber_id) == (
                dialog.confirmed_input.date_value(),
                ward.prescriber.actor.user_id,
            )
        _assert_voided(session, voided, ward.prescriber, dialog)


COUNSELING_CORRECTION = _correction(
    "counseling_correction",
    _counseling_correction_open,
    {"confirmed_input": (Kind.DATE, "confirmed_on")},
    {"confirmed_input": "2026-11-18"},
    _counseling_correction_check,
)


def _staff_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, StaffDialog)
    record = dialog.result_record
    assert record is not None
    assert record.username == dialog.username_input.text().strip()
    assert find_staff(ward.admin, record.username) == record
    assert sign_in(ward.clinic, record.username, dialog.password_input.password())


STAFF = Form(
    name="staff",
    open=lambda ward: StaffDialog(ward.admin),
    inputs={
        "username_input": (Kind.TEXT, "username"),
        "display_name_input": (Kind.TEXT, "display_name"),
        "password_input.password_edit": (Kind.PASSWORD, "password"),
        "password_input.confirm_edit": (Kind.PASSWORD, "password"),
    },
    valid=lambda ward: {
        "username_input": f"staff{next(ward.numbers)}",
        "display_name_input": "Sam Staff",
        "password_input.password_edit": PASSWORD,
        "password_input.confirm_edit": PASSWORD,
    },
    check_saved=_staff_check,
    choices=lambda d: [d.role_input],
)


def _setup_check(_ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, SetupDialog)
    ctx = dialog.result_context
    assert ctx is not None
    settings = get_clinic_settings(ctx)
    assert settings.clinic_name == dialog.clinic_name_input.text().strip()
    assert settings.time_zone == dialog.time_zone_input.currentText()
    assert ctx.actor.username == dialog.username_input.text().strip()
    assert not text_no_database_holds(ctx.clinic)


SETUP = Form(
    name="setup",
    open=lambda ward: SetupDialog(ward.empty_clinic()),
    inputs={
        "clinic_name_input": (Kind.TEXT, "clinic_name"),
        "username_input": (Kind.TEXT, "username"),
        "display_name_input": (Kind.TEXT, "display_name"),
        "password_input.password_edit": (Kind.PASSWORD, "password"),
        "password_input.confirm_edit": (Kind.PASSWORD, "password"),
    },
    valid=lambda _ward: {
        "clinic_name_input": "Riverside Dermatology",
        "username_input": "admin",
        "display_name_input": "Ada Admin",
        "password_input.password_edit": PASSWORD,
        "password_input.confirm_edit": PASSWORD,
    },
    check_saved=_setup_check,
    choices=lambda d: [d.time_zone_input],
    prepare=lambda _ward, d: d.time_zone_input.setCurrentText("America/New_York"),
    reuse_after_save=False,  # the clinic is set up now: a new empty one for the next
)


def _settings_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, ClinicSettingsDialog)
    record = dialog.result_record
    assert record is not None
    stored = get_clinic_settings(ward.admin)
    assert stored == record
    assert (stored.clinic_name, stored.phone, stored.address) == (
        dialog.clinic_name_input.text().strip(),
        dialog.phone_input.text().strip(),
        dialog.address_input.toPlainText().strip(),
    )
    assert stored.ipledge_2026_effective_on == dialog.ipledge_date_input.date_value()
    assert str(stored.idle_lock_minutes) == dialog.idle_minutes_input.text().strip().lstrip("0")


SETTINGS = Form(
    name="clinic_settings",
    open=lambda ward: ClinicSettingsDialog(ward.admin),
    inputs={
        "clinic_name_input": (Kind.TEXT, "clinic_name"),
        "address_input": (Kind.TEXT, "address"),
        "phone_input": (Kind.TEXT, "phone"),
        "ipledge_date_input": (Kind.DATE, "ipledge_2026_effective_on"),
        "idle_minutes_input": (Kind.WHOLE, "idle_lock_minutes"),
    },
    valid=lambda _ward: {
        "clinic_name_input": "Riverside Dermatology",
        "address_input": "1 River Road",
        "phone_input": "+1 555 010 3000",
        "ipledge_date_input": "2026-12-01",
        "idle_minutes_input": "10",
    },
    check_saved=_settings_check,
    choices=lambda d: [d.time_zone_input],
    prepare=lambda _ward, d: d.time_zone_input.setCurrentText("America/New_York"),
)


# --- clinic documents: consent template versions, the clinic's own forms ------------------


def _template_summary(ward: Ward) -> Any:
    """The first form the dialog offers (the one `prepare` chooses)."""
    return consent_template_overview(ward.admin)[0]


def _template_valid(ward: Ward) -> Mapping[str, str]:
    """The wording in force today, the next version label and the earliest day allowed:
    what the dialog fills in itself."""
    summary = _template_summary(ward)
    newest = summary.versions[-1]
    latest = max(v.effective_on for v in summary.versions)
    return {
        "wording_input": summary.current_wording,
        "version_input": next_version(newest.version),
        "effective_input": max(TODAY, latest).isoformat(),
    }


def _template_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, ConsentTemplatesDialog)
    record = dialog.result_record
    assert record is not None
    form = dialog.form_input.currentData()
    with ward.clinic.sessions.read() as session:
        row = session.scalars(
            select(ConsentTemplateVersionRow).where(
                ConsentTemplateVersionRow.form == form,
                ConsentTemplateVersionRow.version == record.version,
            )
        ).one()
        stored = (row.version, row.effective_on, row.wording_toml)
    assert stored == (
        dialog.version_input.text().strip(),
        dialog.effective_input.date_value(),
        dialog.wording_input.toPlainText().strip() + "\n",
    )
    assert record.effective_on == stored[1]


CONSENT_TEMPLATE = Form(
    name="consent_template",
    open=lambda ward: ConsentTemplatesDialog(ward.admin),
    inputs={
        "wording_input": (Kind.TEXT, "wording"),
        "version_input": (Kind.VERSION, "version"),
        "effective_input": (Kind.DATE, "effective_on"),
    },
    valid=_template_valid,
    check_saved=_template_check,
    choices=lambda d: [d.form_input],
    prepare=lambda _ward, d: d.form_input.setCurrentIndex(0),
)


def _clinic_form_open(ward: Ward) -> QDialog:
    dialog = ClinicFormAddDialog(ward.admin)
    dialog.choose_file(str(ward.pdf_file()))  # as the file dialog would
    return dialog


def _clinic_form_check(ward: Ward, dialog: QDialog) -> None:
    assert isinstance(dialog, ClinicFormAddDialog)
    record = dialog.result_record
    assert record is not None
    assert record in list_clinic_forms(ward.admin)
    assert (record.title, record.audience, record.file_name) == (
        dialog.title_input.text().strip(),
        ClinicFormAudience(dialog.audience_input.currentData()),
        ward.pdf_file().name,
    )


CLINIC_FORM = Form(
    name="clinic_form",
    open=_clinic_form_open,
    inputs={"title_input": (Kind.TEXT, "title")},
    valid=lambda ward: {"title_input": f"Clinic agreement {next(ward.numbers)}"},
    check_saved=_clinic_form_check,
    choices=lambda d: [d.audience_input],
)

FORMS = (
    PATIENT,
    EDIT_PATIENT,
    START_COURSE,
    DOSE_CHANGE,
    WEIGHT,
    MISSED_DAYS,
    VISIT,
    PREGNANCY_TEST,
    CONTRACEPTION,
    FILL,
    LAB,
    CONSENT,
    STAFF,
    SETUP,
    SETTINGS,
    MEDICATION,
    EDIT_MEDICATION,
    STOP_MEDICATION,
    PAUSE_COURSE,
    RESUME_COURSE,
    END_COURSE,
    CONSENT_TEMPLATE,
    CLINIC_FORM,
    CONSENT_CORRECTION,
    COUNSELING_CORRECTION,
)
