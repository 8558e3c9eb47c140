"""Recording that the same-day follow-up a visit called for was done (domain.md §4.1, §4.2).

A visit with PHQ-9 question 9 above 0, or a stop-and-call or severe side effect, puts an urgent
item on the worklist (`rules.visit_follow_up`). Once a clinician has seen or called the
patient, the nurse records it here: the day, and what was done. The item then leaves the
worklist, instead of standing overdue until the next monthly visit.
"""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import VisitFollowUpRow, VisitRow
from desktop.rules.problems import Problem
from desktop.rules.visit_follow_up import standing_follow_ups
from desktop.services.context import Context
from desktop.services.course_facts import add_fact, course_for_facts
from desktop.services.course_snapshot import visit_findings
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.roles import Permission, require
from desktop.services.unit_of_work import unit_of_work


@dataclass(frozen=True, slots=True)
class FollowUpDraft:
    visit_id: int
    done_on: date | None
    outcome: str


@dataclass(frozen=True, slots=True)
class FollowUpRecord:
    visit_id: int
    done_on: date
    outcome: str
    recorded_by_name: str
    recorded_at: datetime


def check_follow_up(draft: FollowUpDraft, *, seen_on: date, today: date) -> tuple[Problem, ...]:
    """Beside each field: the day (from the visit's day to today) and what was done."""
    problems: list[Problem] = []
    if draft.done_on is None:
        problems.append(Problem("done_on", "Enter the day the follow-up was done."))
    elif draft.done_on < seen_on:
        problems.append(
            Problem("done_on", f"The follow-up cannot come before the visit ({seen_on}).")
        )
    elif draft.done_on > today:
        problems.append(Problem("done_on", "Enter the day it was done (not in the future)."))
    if not draft.outcome.strip():
        problems.append(
            Problem("outcome", "Say what was done: who saw or called the patient, and what next.")
        )
    return tuple(problems)


def record_follow_up(ctx: Context, draft: FollowUpDraft) -> FollowUpRecord:
    """Once per visit, and only for a visit that called for one. Audited with the visit's
    patient; the worklist is recomputed in the same transaction."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    with unit_of_work(ctx) as session:
        visit = session.get(VisitRow, draft.visit_id)
        if visit is None:
            raise NotFound("This visit no longer exists.")
        if problems := check_follow_up(draft, seen_on=visit.seen_on, today=ctx.today()):
            raise ValidationFailed(problems)
        if not calls_for_follow_up(visit):
            raise ValidationFailed(
                (Problem("visit", "This visit called for no same-day follow-up."),)
            )
        if (done := follow_up_of_visit(session, visit.id)) is not None:
            message = (
                f"A follow-up is already recorded for this visit: {done.done_on}, "
                f"by {done.recorded_by_name}."
            )
            raise ValidationFailed((Problem("visit", message),))
        assert draft.done_on is not None  # check_follow_up refused a missing day
        course = course_for_facts(session, visit.course_id)
        row = VisitFollowUpRow(
            course_id=course.id,
            visit_id=visit.id,
            done_on=draft.done_on,
            outcome=draft.outcome.strip(),
            recorded_at=ctx.now(),
            recorded_by_name=ctx.actor.display_name,
        )
        values = {"visit_id": visit.id, "done_on": row.done_on, "outcome": row.outcome}
        try:
            add_fact(session, ctx, course, row, "visit_follow_up.record", "visit_follow_up", values)
        except IntegrityError:  # another workstation recorded one since the check above
            message = "A follow-up was recorded for this visit a moment ago: reopen the chart."
            raise ValidationFailed((Problem("visit", message),)) from None
        return _to_record(row)


def calls_for_follow_up(visit: VisitRow) -> bool:
    """PHQ-9 question 9 above 0, or a stop-and-call or severe side effect, at this visit
    (the rules that raise the worklist item, applied to this visit alone)."""
    findings = visit_findings(visit.seen_on, visit.mood_json, visit.side_effects_json)
    return bool(standing_follow_ups((findings,), on=visit.seen_on))


def follow_ups_of_course(session: Session, course_id: int) -> dict[int, FollowUpRecord]:
    """The follow-up recorded for each visit of the course that has one, by visit id."""
    query = select(VisitFollowUpRow).where(VisitFollowUpRow.course_id == course_id)
    return {row.visit_id: _to_record(row) for row in session.scalars(query)}


def follow_up_of_visit(session: Session, visit_id: int) -> FollowUpRecord | None:
    """The follow-up first recorded for the visit, if any."""
    query = select(VisitFollowUpRow).where(VisitFollowUpRow.visit_id == visit_id)
    row = session.scalars(query.order_by(VisitFollowUpRow.id).limit(1)).first()
    return _to_record(row) if row is not None else None


def _to_record(row: VisitFollowUpRow) -> FollowUpRecord:
    return FollowUpRecord(
        row.visit_id, row.done_on, row.outcome, row.recorded_by_name, row.recorded_at
    )
