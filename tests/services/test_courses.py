"""Courses: start with hard stops, dose changes in capsules, weights, missed days, pause,
resume, end, and a second course."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest

from desktop.rules.units import WeightUnit
from desktop.services.context import Context
from desktop.services.course_dosing import (
    change_dose,
    record_missed_days,
    record_weight,
    start_course,
)
from desktop.services.course_lifecycle import (
    end_course,
    list_courses,
    list_prescribers,
    pause_course,
    resume_course,
)
from desktop.services.course_records import (
    CourseDraft,
    CourseStatus,
    DoseChangeDraft,
    WeightDraft,
)
from desktop.services.errors import StaleEdit, ValidationFailed
from desktop.services.patients import patient_history, register_patient
from tests.conftest import TODAY, patient_draft


@pytest.fixture
def patient_id(nurse_ctx: Context) -> int:
    return register_patient(nurse_ctx, patient_draft()).id


def course_draft(ctx: Context, patient_id: int, **changes: object) -> CourseDraft:
    prescriber = list_prescribers(ctx)[0]
    draft = CourseDraft(
        patient_id=patient_id,
        product="generic",
        start_on=date(2026, 11, 2),
        prescriber_id=prescriber.id,
        target_mg_per_kg=Decimal(150),
        lab_protocol="clinic-monthly",
        starting_weight=Decimal(60),
        starting_weight_unit=WeightUnit.KG,
        starting_mg_per_kg_day=Decimal("0.5"),
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def test_start_course_records_first_weight_and_dose(
    nurse_ctx: Context, prescriber_ctx: Context, patient_id: int
) -> None:
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient_id))
    assert (course.number, course.status, course.prescriber_name) == (
        1,
        CourseStatus.ACTIVE,
        "Dr Priya Park",
    )
    actions = [entry.action for entry in patient_history(nurse_ctx, patient_id)]
    assert actions[:3] == ["dose.change", "weight.record", "course.start"]
    dose = patient_history(nurse_ctx, patient_id)[0]
    changes = {c.field: c.new for c in dose.changes}
    assert (changes["mg_per_day"], changes["am_mg"], changes["pm_mg"]) == ("30", "10", "20")


@pytest.mark.parametrize(
    ("patient_changes", "words"),
    [
        ({"is_pregnant_or_breastfeeding": True}, "pregnant or breastfeeding"),
        ({"risk_category": None}, "risk category"),
        ({"has_retinoid_allergy": True}, "allergy"),
    ],
)
def test_hard_stops_refuse_the_course(
    nurse_ctx: Context, prescriber_ctx: Context, patient_changes: dict[str, object], words: str
) -> None:
    patient = register_patient(nurse_ctx, patient_draft(**patient_changes))
    with pytest.raises(ValidationFailed) as refused:
        start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    assert words in refused.value.user_message()
    assert list_courses(nurse_ctx, patient.id) == ()


def test_weight_in_pounds_is_converted_exactly(
    nurse_ctx: Context, prescriber_ctx: Context, patient_id: int
) -> None:
    draft = course_draft(
        nurse_ctx,
        patient_id,
        starting_weight=Decimal("132.277"),
        starting_weight_unit=WeightUnit.LB,
    )
    start_course(nurse_ctx, draft)
    weight = next(e for e in patient_history(nurse_ctx, patient_id) if e.action == "weight.record")
    changes = {c.field: c.new for c in weight.changes}
    assert changes["entered"] == "132.277 lb"
    assert Decimal(changes["weight_kg"]) == Decimal("132.277") * Decimal("0.45359237")


def test_nurse_cannot_override_the_maximum(
    nurse_ctx: Context, prescriber_ctx: Context, patient_id: int
) -> None:
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient_id))
    above = DoseChangeDraft(
        course.id,
        course.version,
        date(2026, 11, 16),
        Decimal("2.5"),
        "generic",
        "severe truncal acne",
        prescriber_override=True,
    )
    with pytest.raises(ValidationFailed, match="Only a prescriber"):
        change_dose(nurse_ctx, above)
    saved = change_dose(prescriber_ctx, above)
    assert saved.version == course.version + 1


def test_dose_change_on_a_stale_course_is_refused(
    nurse_ctx: Context, prescriber_ctx: Context, patient_id: int
) -> None:
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient_id))
    first = DoseChangeDraft(
        course.id, course.version, date(2026, 11, 16), Decimal(1), "generic", "tolerating well"
    )
    change_dose(prescriber_ctx, first)
    with pytest.raises(StaleEdit) as refused:
        change_dose(nurse_ctx, replace(first, starts_on=date(2026, 11, 17)))
    assert refused.value.changed_by == "Dr Priya Park"


def test_weights_and_missed_days_are_recorded_once(
    nurse_ctx: Context, prescriber_ctx: Context, patient_id: int
) -> None:
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient_id))
    record_weight(
        nurse_ctx, WeightDraft(course.id, date(2026, 11, 16), Decimal("61.5"), WeightUnit.KG)
    )
    days = (date(2026, 11, 5), date(2026, 11, 6))
    assert record_missed_days(nurse_ctx, course.id, days) == 2
    assert record_missed_days(nurse_ctx, course.id, (*days, date(2026, 11, 7))) == 1
    with pytest.raises(ValidationFailed):
        record_missed_days(nurse_ctx, course.id, (TODAY + timedelta(days=1),))


def test_pause_resume_and_end_with_reasons(
    nurse_ctx: Context, prescriber_ctx: Context, patient_id: int
) -> None:
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient_id))
    with pytest.raises(ValidationFailed):
        pause_course(nurse_ctx, course.id, course.version, date(2026, 11, 10), " ")
    paused = pause_course(nurse_ctx, course.id, course.version, date(2026, 11, 10), "flu")
    assert paused.status is CourseStatus.PAUSED
    resumed = resume_course(nurse_ctx, course.id, paused.version, date(2026, 11, 14), "better")
    ended = end_course(nurse_ctx, course.id, resumed.version, date(2026, 11, 19))
    assert (ended.status, ended.last_dose_on) == (CourseStatus.ENDED, date(2026, 11, 19))


def test_second_course_waits_two_months_unless_a_prescriber_overrides(
    nurse_ctx: Context, prescriber_ctx: Context, patient_id: int
) -> None:
    first = start_course(nurse_ctx, course_draft(nurse_ctx, patient_id, start_on=date(2026, 3, 2)))
    end_course(nurse_ctx, first.id, first.version, date(2026, 9, 30))
    early = course_draft(nurse_ctx, patient_id, start_on=date(2026, 11, 2))
    with pytest.raises(ValidationFailed, match="2026-11-30 at the earliest"):
        start_course(nurse_ctx, early)
    second = start_course(prescriber_ctx, replace(early, override_reason="rapid relapse"))
    assert second.number == 2
    assert [c.number for c in list_courses(nurse_ctx, patient_id)] == [2, 1]
