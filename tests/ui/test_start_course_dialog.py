"""Starting a course: the regimen previewed in capsules, hard stops refused with the reason,
the 2-month wait and its prescriber override."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import end_course, list_courses
from desktop.services.course_records import CourseStatus
from desktop.services.patients import register_patient
from desktop.services.records import PatientRecord
from desktop.ui.course.start_course_dialog import NO_IPLEDGE_ID, StartCourseDialog
from tests.conftest import patient_draft
from tests.services.test_courses import course_draft
from tests.ui.conftest import Screenshot


@pytest.fixture
def patient(nurse_ctx: Context, prescriber_ctx: Context) -> PatientRecord:
    return register_patient(nurse_ctx, patient_draft())


def _dialog(qtbot: QtBot, ctx: Context, patient: PatientRecord) -> StartCourseDialog:
    dialog = StartCourseDialog(ctx, patient)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _type_weight_and_dose(qtbot: QtBot, dialog: StartCourseDialog, weight: str, dose: str) -> None:
    qtbot.keyClicks(dialog.weight_input.number_edit, weight)
    qtbot.keyClicks(dialog.mg_per_kg_day_input, dose)


def _save(qtbot: QtBot, dialog: StartCourseDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_the_ipledge_patient_id_is_shown(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft(ipledge_patient_id="1234567890"))
    dialog = _dialog(qtbot, nurse_ctx, patient)
    assert dialog.ipledge_id_label.text() == "1234567890"
    assert dialog.ipledge_id_label.objectName() == ""


def test_a_missing_ipledge_patient_id_is_a_warning_not_a_refusal(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    assert patient.ipledge_patient_id == ""
    dialog = _dialog(qtbot, nurse_ctx, patient)
    assert dialog.ipledge_id_label.isVisible()
    assert dialog.ipledge_id_label.text() == NO_IPLEDGE_ID
    assert dialog.ipledge_id_label.objectName() == "warningFlag"
    _type_weight_and_dose(qtbot, dialog, "60", "0.5")
    _save(qtbot, dialog)
    assert dialog.result_record is not None


def test_nurse_starts_a_course_and_sees_the_regimen_in_capsules(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord, screenshot: Screenshot
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, patient)
    assert dialog.prescriber_input.currentText() == "Dr Priya Park"
    assert dialog.target_input.currentText() == "150 mg/kg (default)"
    assert dialog.start_date_input.text() == "2026-11-20"
    assert "Clinic monthly" in dialog.lab_protocol_input.currentText()
    _type_weight_and_dose(qtbot, dialog, "60", "0.5")
    preview = dialog.preview
    assert preview.regimen_label.text() == "AM 10 mg · PM 20 mg = 30 mg/day"
    assert preview.capsules_label.text() == "Capsules: AM 1 × 10 mg · PM 1 × 20 mg"
    assert preview.achieved_label.text() == "Achieved 0.50 mg/kg/day (asked for 0.5)"
    assert preview.food_label.text().startswith("Take each dose with a meal")
    qtbot.keyClicks(dialog.ipledge_date_input, "2026-10-15")
    screenshot(dialog, "start-course-dialog")
    _save(qtbot, dialog)
    course = dialog.result_record
    assert course is not None
    assert (course.status, course.product, course.prescriber_name) == (
        CourseStatus.ACTIVE,
        "generic",
        "Dr Priya Park",
    )
    assert course.ipledge_enrolled_on == date(2026, 10, 15)
    assert list_courses(nurse_ctx, patient.id) == (course,)


def test_weight_in_pounds_shows_both_units_and_is_saved_as_typed(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, patient)
    _type_weight_and_dose(qtbot, dialog, "160 lb", "1")
    assert dialog.weight_input.both_units_label.text() == "72.6 kg (160.0 lb)"
    assert dialog.preview.regimen_label.text() == "AM 30 mg · PM 40 mg = 70 mg/day"
    draft = dialog.draft()
    assert (draft.starting_weight, draft.starting_weight_unit.value) == (Decimal(160), "lb")


def test_pregnancy_flag_is_a_hard_stop_shown_with_its_reason(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft(is_pregnant_or_breastfeeding=True))
    dialog = _dialog(qtbot, nurse_ctx, patient)
    reason = (
        "The patient is recorded as pregnant or breastfeeding: isotretinoin must not be started."
    )
    assert dialog.error_label.text() == reason
    _type_weight_and_dose(qtbot, dialog, "60", "0.5")
    _save(qtbot, dialog)
    assert dialog.error_label.text() == reason
    assert dialog.result_record is None
    assert dialog.isVisible()
    assert list_courses(nurse_ctx, patient.id) == ()


def test_missing_dose_is_shown_beside_its_field_and_focused(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, patient)
    qtbot.keyClicks(dialog.weight_input.number_edit, "60")
    _save(qtbot, dialog)
    message = "Enter the starting mg/kg/day."
    assert dialog.problems.problem_label("starting_mg_per_kg_day").text() == message
    assert dialog.error_label.text() == message
    assert dialog.focusWidget() is dialog.mg_per_kg_day_input


def test_a_dose_above_the_maximum_is_refused_beside_the_dose(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, patient)
    _type_weight_and_dose(qtbot, dialog, "60", "2.5")
    assert "above the labelled maximum" in dialog.preview.warnings_label.text()
    _save(qtbot, dialog)
    label = dialog.problems.problem_label("starting_mg_per_kg_day")
    assert "needs a prescriber override" in label.text()
    assert list_courses(nurse_ctx, patient.id) == ()


def test_custom_target_is_typed_beside_the_choice(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, patient)
    assert not dialog.custom_target_input.isVisible()
    dialog.target_input.setCurrentIndex(dialog.target_input.findData("custom"))
    assert dialog.custom_target_input.isVisible()
    qtbot.keyClicks(dialog.custom_target_input, "180")
    _type_weight_and_dose(qtbot, dialog, "60", "0.5")
    qtbot.keyClick(dialog.mg_per_kg_day_input, Qt.Key.Key_Return)  # Enter saves
    assert dialog.result_record is not None
    assert dialog.result_record.target_mg_per_kg == Decimal(180)


def _first_course_ended_on(ctx: Context, patient: PatientRecord, last: date) -> None:
    course = start_course(ctx, course_draft(ctx, patient.id, start_on=date(2026, 6, 1)))
    end_course(ctx, course.id, course.version, last)


def test_second_course_within_two_months_needs_a_prescriber(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    _first_course_ended_on(nurse_ctx, patient, date(2026, 10, 30))
    dialog = _dialog(qtbot, nurse_ctx, patient)
    assert dialog.patient_label.text().endswith("course 2")
    assert dialog.override_reason_input.isVisible()
    assert not dialog.override_reason_input.isEnabled()
    assert "2026-12-30 at the earliest" in dialog.override_hint_label.text()
    _type_weight_and_dose(qtbot, dialog, "60", "0.5")
    _save(qtbot, dialog)
    assert dialog.error_label.text().startswith(
        "A new course may start on 2026-12-30 at the earliest"
    )
    dialog.start_date_input.clear()
    qtbot.keyClicks(dialog.start_date_input, "2026-12-30")
    assert not dialog.override_reason_input.isVisible()


def test_prescriber_overrides_the_two_month_wait_with_a_reason(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, patient: PatientRecord
) -> None:
    _first_course_ended_on(nurse_ctx, patient, date(2026, 10, 30))
    dialog = _dialog(qtbot, prescriber_ctx, patient)
    assert dialog.override_reason_input.isEnabled()
    _type_weight_and_dose(qtbot, dialog, "60", "0.5")
    qtbot.keyClicks(dialog.override_reason_input, "early relapse with scarring")
    _save(qtbot, dialog)
    assert dialog.result_record is not None
    assert dialog.result_record.override_reason == "early relapse with scarring"
    assert [c.number for c in list_courses(nurse_ctx, patient.id)] == [2, 1]
