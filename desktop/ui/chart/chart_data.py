"""What the chart reads when it opens or after a save: the patient, their history, their
courses, their medications with the cautions they raise, and the shown course's overview
and labs (for the header). Read off the GUI thread; the panels in the tabs load their own
details when first shown."""

from dataclasses import dataclass

from desktop.rules.interactions import Caution
from desktop.services.context import Context
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_overview import CourseOverview, get_course_overview
from desktop.services.course_records import CourseRecord
from desktop.services.labs import LabRecord, list_labs
from desktop.services.medications import MedicationRecord, current_cautions, list_medications
from desktop.services.patients import get_patient, patient_history
from desktop.services.records import AuditRecord, PatientRecord


@dataclass(frozen=True, slots=True)
class ChartData:
    patient: PatientRecord
    history: tuple[AuditRecord, ...]
    courses: tuple[CourseRecord, ...]
    """Newest first."""
    overview: CourseOverview | None
    """Of the course shown (the one asked for, else the newest); None without a course."""
    labs: tuple[LabRecord, ...]
    medications: tuple[MedicationRecord, ...]
    """Current first, then stopped."""
    cautions: tuple[Caution, ...]
    """Of the current medications and the patient's flags (domain.md §6), most severe first."""

    @property
    def course_id(self) -> int | None:
        return self.overview.course.id if self.overview is not None else None


def load_chart_data(ctx: Context, patient_id: int, course_id: int | None) -> ChartData:
    patient = get_patient(ctx, patient_id)
    history = patient_history(ctx, patient_id)
    courses = list_courses(ctx, patient_id)
    medications = list_medications(ctx, patient_id)
    cautions = current_cautions(ctx, patient_id)
    shown = next((c for c in courses if c.id == course_id), courses[0] if courses else None)
    if shown is None:
        return ChartData(patient, history, courses, None, (), medications, cautions)
    overview = get_course_overview(ctx, shown.id)
    labs = list_labs(ctx, shown.id)
    return ChartData(patient, history, courses, overview, labs, medications, cautions)
