"""A patient with a course started on 2026-11-02, for the chart panels' tests."""

from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.course_records import CourseRecord
from desktop.services.patients import register_patient
from tests.conftest import patient_draft
from tests.services.test_courses import course_draft


def start_test_course(nurse_ctx: Context, **patient_changes: object) -> CourseRecord:
    """Needs a prescriber on staff (the `prescriber_ctx` fixture) to be responsible."""
    patient = register_patient(nurse_ctx, patient_draft(**patient_changes))
    return start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
