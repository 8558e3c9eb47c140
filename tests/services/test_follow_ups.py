"""Recording that a visit's same-day follow-up was done (domain.md §4.1, §4.2): audited, once
per visit, only for a visit that called for one, and the worklist item is gone in the same
transaction instead of standing overdue until the next visit."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from db.models import AuditEntry
from desktop.rules.worklist import WorkKind
from desktop.services import follow_ups
from desktop.services.context import Context, FixedClock
from desktop.services.course_dosing import start_course
from desktop.services.course_records import CourseRecord
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.follow_ups import FollowUpDraft, FollowUpRecord, record_follow_up
from desktop.services.patients import register_patient
from desktop.services.visits import list_visits
from desktop.services.worklist import WorklistRow, load_worklist, refresh_worklist
from tests.conftest import TODAY, patient_draft
from tests.services.test_courses import course_draft
from tests.services.test_visit_follow_up_worklist import JAUNDICE, SELF_HARM_PHQ9, _visit

OUTCOME = "Seen by Dr Park the same afternoon; safety plan agreed; no change to the dose."


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    patient = register_patient(nurse_ctx, patient_draft())
    return start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))


def _follow_up_rows(ctx: Context) -> list[WorklistRow]:
    return [r for r in load_worklist(ctx).rows if r.kind is WorkKind.SAME_DAY_FOLLOW_UP]


def _flagged_visit_id(ctx: Context, course: CourseRecord) -> int:
    _visit(ctx, course, phq2_items=(2, 2), phq9_items=SELF_HARM_PHQ9, side_effects=(JAUNDICE,))
    return list_visits(ctx, course.id)[0].id


def _recorded(ctx: Context, course: CourseRecord) -> dict[int, FollowUpRecord]:
    """The follow-ups as the Visits tab reads them: each on its visit."""
    return {v.id: v.follow_up for v in list_visits(ctx, course.id) if v.follow_up is not None}


def _problems(error: pytest.ExceptionInfo[ValidationFailed]) -> list[tuple[str, str]]:
    return [(p.field, p.message) for p in error.value.problems]


def test_a_recorded_follow_up_takes_the_visits_items_off_the_worklist(
    nurse_ctx: Context, clock: FixedClock, course: CourseRecord
) -> None:
    visit_id = _flagged_visit_id(nurse_ctx, course)
    clock.instant += timedelta(days=1)
    refresh_worklist(nurse_ctx)
    assert len(_follow_up_rows(nurse_ctx)) == 2  # question 9 and the jaundice, overdue
    saved = record_follow_up(nurse_ctx, FollowUpDraft(visit_id, TODAY, f"  {OUTCOME}\n"))
    assert (saved.done_on, saved.outcome, saved.recorded_by_name) == (
        TODAY,
        OUTCOME,
        "Nina Nurse",
    )
    assert _follow_up_rows(nurse_ctx) == []
    assert _recorded(nurse_ctx, course) == {visit_id: saved}
    with nurse_ctx.sessions.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None
        audited = (entry.action, entry.entity, entry.patient_id, entry.actor_name)
        new_values = entry.new_values
    assert audited == ("visit_follow_up.record", "visit_follow_up", course.patient_id, "Nina Nurse")
    assert f'"visit_id":{visit_id}' in new_values
    assert OUTCOME in new_values


def test_a_later_flagged_visit_needs_its_own_follow_up(
    nurse_ctx: Context, clock: FixedClock, course: CourseRecord
) -> None:
    first = _flagged_visit_id(nurse_ctx, course)
    record_follow_up(nurse_ctx, FollowUpDraft(first, TODAY, OUTCOME))
    clock.instant += timedelta(days=28)
    _visit(nurse_ctx, course, phq2_items=(2, 2), phq9_items=SELF_HARM_PHQ9)
    (row,) = _follow_up_rows(nurse_ctx)
    assert row.due_on == TODAY + timedelta(days=28)


@pytest.mark.parametrize(
    ("days_after_visit", "outcome", "expected"),
    [
        (-1, OUTCOME, ("done_on", "The follow-up cannot come before the visit (2026-11-20).")),
        (1, OUTCOME, ("done_on", "Enter the day it was done (not in the future).")),
        (
            0,
            "  \n ",
            ("outcome", "Say what was done: who saw or called the patient, and what next."),
        ),
        (0, "x" * 2001, ("outcome", "Too long: at most 2000 characters.")),
    ],
)
def test_the_day_and_what_was_done_are_checked_beside_their_fields(
    nurse_ctx: Context,
    course: CourseRecord,
    days_after_visit: int,
    outcome: str,
    expected: tuple[str, str],
) -> None:
    visit_id = _flagged_visit_id(nurse_ctx, course)
    done_on = TODAY + timedelta(days=days_after_visit)
    with pytest.raises(ValidationFailed) as refused:
        record_follow_up(nurse_ctx, FollowUpDraft(visit_id, done_on, outcome))
    assert _problems(refused) == [expected]
    assert _recorded(nurse_ctx, course) == {}
    assert len(_follow_up_rows(nurse_ctx)) == 2


def test_only_once_and_only_for_a_visit_that_called_for_one(
    nurse_ctx: Context, prescriber_ctx: Context, clock: FixedClock, course: CourseRecord
) -> None:
    visit_id = _flagged_visit_id(nurse_ctx, course)
    record_follow_up(nurse_ctx, FollowUpDraft(visit_id, TODAY, OUTCOME))
    with pytest.raises(ValidationFailed) as twice:
        record_follow_up(prescriber_ctx, FollowUpDraft(visit_id, TODAY, "Again."))
    assert _problems(twice) == [
        ("visit", "A follow-up is already recorded for this visit: 2026-11-20, by Nina Nurse.")
    ]
    clock.instant += timedelta(days=1)
    _visit(nurse_ctx, course, phq2_items=(0, 1))
    quiet = list_visits(nurse_ctx, course.id)[0].id
    with pytest.raises(ValidationFailed) as not_needed:
        record_follow_up(nurse_ctx, FollowUpDraft(quiet, TODAY + timedelta(days=1), OUTCOME))
    assert _problems(not_needed) == [("visit", "This visit called for no same-day follow-up.")]
    with pytest.raises(NotFound):
        record_follow_up(nurse_ctx, FollowUpDraft(quiet + 100, TODAY, OUTCOME))


def test_two_workstations_saving_at_once_keep_one_follow_up(
    nurse_ctx: Context,
    prescriber_ctx: Context,
    course: CourseRecord,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The second save passed the check before the first committed (simulated by the check
    seeing nothing): the unique index refuses it, and nothing of it is kept."""
    visit_id = _flagged_visit_id(nurse_ctx, course)
    first = record_follow_up(nurse_ctx, FollowUpDraft(visit_id, TODAY, OUTCOME))
    monkeypatch.setattr(follow_ups, "follow_up_of_visit", lambda _session, _visit_id: None)
    with nurse_ctx.sessions.read() as session:
        entries_before = len(session.scalars(select(AuditEntry)).all())
    with pytest.raises(ValidationFailed) as refused:
        record_follow_up(prescriber_ctx, FollowUpDraft(visit_id, TODAY, "Called too."))
    assert _problems(refused) == [
        ("visit", "A follow-up was recorded for this visit a moment ago: reopen the chart.")
    ]
    assert _recorded(nurse_ctx, course) == {visit_id: first}
    with nurse_ctx.sessions.read() as session:
        assert len(session.scalars(select(AuditEntry)).all()) == entries_before
