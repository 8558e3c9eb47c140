"""The monthly visit: all or nothing, mood escalation, stop-and-call flags, dose changes."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry, VisitRow, WeightRow
from desktop.rules.counseling_topics import CounselingTopic
from desktop.rules.side_effects import EffectSeverity, ReportedEffect, SideEffect
from desktop.rules.units import WeightUnit
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_records import CourseRecord
from desktop.services.errors import StaleEdit, ValidationFailed
from desktop.services.patients import register_patient
from desktop.services.visits import VisitDoseChange, VisitDraft, list_visits, record_visit
from tests.conftest import NOW, patient_draft
from tests.services.test_courses import course_draft


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    patient = register_patient(nurse_ctx, patient_draft())
    return start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))


def _draft(course: CourseRecord, **changes: object) -> VisitDraft:
    fields: dict[str, object] = {
        "course_id": course.id,
        "course_version": course.version,
        "seen_on": date(2026, 11, 20),
        "weight": Decimal("61.2"),
        "weight_unit": WeightUnit.KG,
        "phq2_items": (0, 1),
        "missed_days": (date(2026, 11, 8),),
        "side_effects": (ReportedEffect(SideEffect.DRY_LIPS, EffectSeverity.MILD),),
        "counseling_topics": (CounselingTopic.NO_BLOOD_DONATION, CounselingTopic.SUN_PROTECTION),
        "notes": 'Using lip balm <3 & "coping"',
        "next_visit_on": date(2026, 12, 18),
    }
    fields.update(changes)
    return VisitDraft(**fields)  # type: ignore[arg-type]


def _counts(ctx: Context) -> tuple[int, int, int]:
    with ctx.sessions.read() as session:
        return tuple(  # type: ignore[return-value]
            session.scalar(select(func.count()).select_from(m))
            for m in (VisitRow, WeightRow, AuditEntry)
        )


def test_a_visit_saves_everything_together(nurse_ctx: Context, course: CourseRecord) -> None:
    saved = record_visit(nurse_ctx, _draft(course))
    assert saved.flags == ()
    assert saved.dose_decision == "continue current dose"
    listed = list_visits(nurse_ctx, course.id)
    assert [(v.seen_on, v.weight_kg, v.notes) for v in listed] == [
        (date(2026, 11, 20), Decimal("61.2"), 'Using lip balm <3 & "coping"')
    ]
    assert listed[0].counseling_topics == saved.counseling_topics
    assert (listed[0].missed_doses, listed[0].recorded_at) == (1, NOW)
    assert (saved.missed_doses, saved.recorded_at) == (1, NOW)


def test_a_refused_dose_change_saves_nothing(nurse_ctx: Context, course: CourseRecord) -> None:
    before = _counts(nurse_ctx)
    change = VisitDoseChange(Decimal("2.5"), "generic", "worse", prescriber_override=True)
    with pytest.raises(ValidationFailed, match="Only a prescriber"):
        record_visit(nurse_ctx, _draft(course, dose_change=change))
    assert _counts(nurse_ctx) == before


def test_a_visit_can_change_the_dose(nurse_ctx: Context, course: CourseRecord) -> None:
    change = VisitDoseChange(Decimal(1), "generic", "tolerating well")
    saved = record_visit(nurse_ctx, _draft(course, dose_change=change))
    assert saved.dose_decision.startswith("change to 1 mg/kg/day")
    assert list_courses(nurse_ctx, course.patient_id)[0].version > course.version


def test_positive_phq2_needs_the_phq9(nurse_ctx: Context, course: CourseRecord) -> None:
    with pytest.raises(ValidationFailed) as refused:
        record_visit(nurse_ctx, _draft(course, phq2_items=(2, 1)))
    assert refused.value.problems[0].field == "phq9"


def test_item_nine_raises_the_same_day_flag(nurse_ctx: Context, course: CourseRecord) -> None:
    saved = record_visit(
        nurse_ctx, _draft(course, phq2_items=(2, 1), phq9_items=(2, 1, 1, 1, 0, 0, 0, 0, 1))
    )
    assert saved.mood.needs_same_day_follow_up
    assert "today" in saved.flags[0]


def test_stop_and_call_symptoms_are_flagged(nurse_ctx: Context, course: CourseRecord) -> None:
    effect = ReportedEffect(SideEffect.HEADACHE_WITH_VISION_CHANGE, EffectSeverity.MODERATE)
    saved = record_visit(nurse_ctx, _draft(course, side_effects=(effect,)))
    assert saved.urgent_effects == (SideEffect.HEADACHE_WITH_VISION_CHANGE,)
    assert "Stop-and-call" in saved.flags[0]


def test_a_visit_on_a_stale_course_is_refused(
    nurse_ctx: Context, prescriber_ctx: Context, course: CourseRecord
) -> None:
    record_visit(prescriber_ctx, _draft(course))
    with pytest.raises(StaleEdit) as refused:
        record_visit(nurse_ctx, _draft(course, seen_on=date(2026, 11, 19)))
    # Saved at 15:30 UTC: said in the clinic's time (New York), naming the zone.
    assert refused.value.user_message() == (
        "This course was changed by Dr Priya Park at 2026-11-20 10:30 EST after you opened "
        "it. Your changes were not saved; reopen it to see theirs, then edit again."
    )


def test_a_visit_without_its_own_weighing_shows_the_weight_in_effect(
    nurse_ctx: Context, course: CourseRecord
) -> None:
    """Visits moved in by `course import` (or demo data) carry no weight of their own."""
    with nurse_ctx.sessions.write() as session:
        session.add(
            VisitRow(
                course_id=course.id,
                seen_on=date(2026, 11, 10),
                weight_id=None,
                created_at=nurse_ctx.now(),
                updated_at=nurse_ctx.now(),
                updated_by_name="import",
                version=1,
            )
        )
    listed = list_visits(nurse_ctx, course.id)
    assert [(v.seen_on, v.weight_kg) for v in listed] == [(date(2026, 11, 10), Decimal(60))]
