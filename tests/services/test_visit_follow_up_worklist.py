"""A visit saved with PHQ-9 question 9 above 0 or a stop-and-call symptom is an urgent
worklist row at once (stored in the same unit of work), overdue on later days, and gone once
a later visit is saved without it (domain.md §4.1, §4.2)."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from desktop.rules.side_effects import EffectSeverity, ReportedEffect, SideEffect
from desktop.rules.units import WeightUnit
from desktop.rules.visit_follow_up import VisitFindings
from desktop.rules.worklist import ItemStatus, Severity, WorkKind
from desktop.services.context import Clinic, Context, FixedClock
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import end_course, list_courses
from desktop.services.course_records import CourseRecord
from desktop.services.course_snapshot import visit_findings
from desktop.services.patients import register_patient
from desktop.services.visits import VisitDraft, record_visit
from desktop.services.worklist import (
    WorklistRow,
    load_worklist,
    refresh_worklist,
    worklist_on,
)
from tests.conftest import TODAY, patient_draft
from tests.services.test_courses import course_draft

SELF_HARM_PHQ9 = (2, 2, 1, 1, 0, 1, 0, 0, 1)
JAUNDICE = ReportedEffect(SideEffect.DARK_URINE_OR_JAUNDICE, EffectSeverity.MODERATE)


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    patient = register_patient(nurse_ctx, patient_draft())
    return start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))


def _visit(ctx: Context, course: CourseRecord, **changes: object) -> None:
    current = next(c for c in list_courses(ctx, course.patient_id) if c.id == course.id)
    fields: dict[str, object] = {
        "course_id": course.id,
        "course_version": current.version,
        "seen_on": ctx.today(),
        "weight": Decimal("61.2"),
        "weight_unit": WeightUnit.KG,
        "phq2_items": (0, 1),
    }
    fields.update(changes)
    record_visit(ctx, VisitDraft(**fields))  # type: ignore[arg-type]


def _follow_ups(ctx: Context) -> list[WorklistRow]:
    return [r for r in load_worklist(ctx).rows if r.kind is WorkKind.SAME_DAY_FOLLOW_UP]


def test_question_nine_above_zero_is_an_urgent_row_as_soon_as_the_visit_is_saved(
    nurse_ctx: Context, clinic: Clinic, course: CourseRecord
) -> None:
    _visit(nurse_ctx, course, phq2_items=(2, 2), phq9_items=SELF_HARM_PHQ9)
    view = load_worklist(nurse_ctx)
    assert view.stale_courses == 0
    top = view.rows[0]
    assert (top.kind, top.severity, top.status, top.due_on, top.mrn) == (
        WorkKind.SAME_DAY_FOLLOW_UP,
        Severity.URGENT,
        ItemStatus.DUE,
        TODAY,
        "MRN-1001",
    )
    assert top.message == (
        "Same-day follow-up: PHQ-9 question 9 (thoughts of self-harm) above 0 at the visit "
        "of 2026-11-20. A clinician must see the patient that day."
    )
    assert "Zo" not in top.message  # the name is the row's own column, never the sentence
    assert view.counts_by_kind[WorkKind.SAME_DAY_FOLLOW_UP] == 1
    only = load_worklist(nurse_ctx, kinds=frozenset({WorkKind.SAME_DAY_FOLLOW_UP}))
    assert [r.message for r in only.rows] == [top.message]
    computed = [r for r in worklist_on(clinic, TODAY) if r.kind is WorkKind.SAME_DAY_FOLLOW_UP]
    assert computed == [top]  # the stored list agrees with the rules on the record


def test_a_quiet_visit_puts_nothing_on_the_worklist(
    nurse_ctx: Context, course: CourseRecord
) -> None:
    _visit(nurse_ctx, course, phq2_items=(2, 2), phq9_items=(2, 2, 3, 3, 1, 0, 0, 0, 0))
    assert _follow_ups(nurse_ctx) == []


def test_it_stays_overdue_until_a_later_visit_is_saved_without_it(
    nurse_ctx: Context, clock: FixedClock, course: CourseRecord
) -> None:
    _visit(nurse_ctx, course, phq2_items=(2, 2), phq9_items=SELF_HARM_PHQ9)
    clock.instant += timedelta(days=2)
    assert refresh_worklist(nurse_ctx) == 1
    (row,) = _follow_ups(nurse_ctx)
    assert (row.due_on, row.status, row.severity) == (TODAY, ItemStatus.OVERDUE, Severity.URGENT)
    _visit(nurse_ctx, course, phq2_items=(1, 0))
    assert _follow_ups(nurse_ctx) == []


def test_a_stop_and_call_symptom_is_an_urgent_row_until_a_later_visit_without_it(
    nurse_ctx: Context, clock: FixedClock, course: CourseRecord
) -> None:
    _visit(nurse_ctx, course, side_effects=(JAUNDICE,))
    (row,) = _follow_ups(nurse_ctx)
    assert (row.status, row.severity) == (ItemStatus.DUE, Severity.URGENT)
    assert "stop-and-call symptom at the visit of 2026-11-20" in row.message
    clock.instant += timedelta(days=1)
    _visit(nurse_ctx, course)
    assert _follow_ups(nurse_ctx) == []


def test_an_ended_course_keeps_it_only_through_the_visit_day(
    nurse_ctx: Context, clock: FixedClock, course: CourseRecord
) -> None:
    """No visit can be saved on an ended course to clear it (see `worklist._follow_ups`)."""
    _visit(nurse_ctx, course, side_effects=(JAUNDICE,))
    current = next(c for c in list_courses(nurse_ctx, course.patient_id) if c.id == course.id)
    end_course(nurse_ctx, course.id, current.version, TODAY)
    assert len(_follow_ups(nurse_ctx)) == 1
    clock.instant += timedelta(days=1)
    refresh_worklist(nurse_ctx)
    assert _follow_ups(nurse_ctx) == []


def test_stored_visit_answers_become_the_rules_findings() -> None:
    day = date(2026, 11, 20)
    saved = visit_findings(
        day,
        '{"phq2": [2, 2], "phq9": [2, 2, 1, 1, 0, 1, 0, 0, 1]}',
        '[["dark_urine_or_jaundice", "moderate"]]',
    )
    assert saved == VisitFindings(day, True, SELF_HARM_PHQ9, (JAUNDICE,))
    assert visit_findings(day, '{"phq2": [0, 1], "phq9": null}', "[]") == VisitFindings(
        day, True, None, ()
    )
    moved_in = visit_findings(day, "{}", "[]")  # course import and demo data: the defaults
    assert moved_in == VisitFindings(day, False, None, ())
