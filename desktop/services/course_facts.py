"""Adding dated facts to a course: the shared shape of every "record …" action."""

from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from db.base import Base
from db.models import Course
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.course_records import CourseStatus
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.unit_of_work import audit


def course_for_facts(session: Session, course_id: int, *, allow_ended: bool = True) -> Course:
    """The course a fact is added to. Facts do not bump the course's version: two nurses
    recording different tests on one course are not in conflict."""
    course = session.get(Course, course_id)
    if course is None:
        raise NotFound("This course no longer exists.")
    if not allow_ended and course.status == CourseStatus.ENDED:
        raise ValidationFailed((Problem("course", "This course has ended."),))
    return course


def audit_fact(
    session: Session,
    ctx: Context,
    course: Course,
    action: str,
    entity: str,
    entity_id: int,
    values: Mapping[str, Any],
    *,
    reason: str = "",
) -> None:
    audit(
        session,
        ctx,
        action,
        entity,
        entity_id,
        patient_id=course.patient_id,
        new={"course_id": course.id, **values},
        reason=reason,
    )


def add_fact(
    session: Session,
    ctx: Context,
    course: Course,
    row: Base,
    action: str,
    entity: str,
    values: Mapping[str, Any],
    *,
    reason: str = "",
) -> int:
    """Save one fact row of `course` and its audit entry; returns the row's id."""
    session.add(row)
    session.flush()
    row_id: int = getattr(row, "id")  # noqa: B009  (every fact table has an integer id)
    audit_fact(session, ctx, course, action, entity, row_id, values, reason=reason)
    return row_id
