"""Pausing, resuming and ending a course; listing a patient's courses and the prescribers."""

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Course, CoursePause, StaffUser
from desktop.rules.dates import implausible_dates
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.course_records import CourseRecord, CourseStatus, PrescriberChoice
from desktop.services.errors import ValidationFailed
from desktop.services.roles import Permission, Role, require
from desktop.services.unit_of_work import audit, load_current, stamp, unit_of_work


def to_course_record(course: Course, prescriber_name: str) -> CourseRecord:
    return CourseRecord(
        id=course.id,
        version=course.version,
        patient_id=course.patient_id,
        number=course.number,
        status=CourseStatus(course.status),
        product=course.product,
        start_on=course.start_on,
        last_dose_on=course.last_dose_on,
        target_mg_per_kg=course.target_mg_per_kg,
        lab_protocol=course.lab_protocol,
        prescriber_id=course.prescriber_id,
        prescriber_name=prescriber_name,
        ipledge_enrolled_on=course.ipledge_enrolled_on,
        override_reason=course.override_reason,
    )


def course_record(session: Session, course: Course) -> CourseRecord:
    name = session.scalar(
        select(StaffUser.display_name).where(StaffUser.id == course.prescriber_id)
    )
    return to_course_record(course, name or "")


def list_courses(ctx: Context, patient_id: int) -> tuple[CourseRecord, ...]:
    """The patient's courses, newest first (earlier courses stay visible)."""
    query = (
        select(Course, StaffUser.display_name)
        .join(StaffUser, StaffUser.id == Course.prescriber_id)
        .where(Course.patient_id == patient_id)
        .order_by(Course.number.desc())
    )
    with ctx.sessions.read() as session:
        return tuple(to_course_record(c, name) for c, name in session.execute(query))


def list_prescribers(ctx: Context) -> tuple[PrescriberChoice, ...]:
    query = (
        select(StaffUser.id, StaffUser.display_name)
        .where(StaffUser.role == Role.PRESCRIBER, StaffUser.is_active)
        .order_by(StaffUser.display_name)
    )
    with ctx.sessions.read() as session:
        return tuple(PrescriberChoice(i, n) for i, n in session.execute(query))


def _reason_required(reason: str, field: str = "reason") -> None:
    if not reason.strip():
        raise ValidationFailed((Problem(field, "Give a reason; it is kept in the record."),))


def _open_pause(session: Session, course_id: int) -> CoursePause | None:
    query = select(CoursePause).where(
        CoursePause.course_id == course_id, CoursePause.resumed_on.is_(None)
    )
    return session.scalar(query)


def pause_course(ctx: Context, course_id: int, version: int, on: date, reason: str) -> CourseRecord:
    """Hold treatment from `on` (no doses are counted while paused)."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    _reason_required(reason)
    if problems := implausible_dates({"paused_on": on}):
        raise ValidationFailed(problems)
    with unit_of_work(ctx) as session:
        course = load_current(session, Course, course_id, version, "course")
        if course.status != CourseStatus.ACTIVE:
            raise ValidationFailed((Problem("status", "Only an active course can be paused."),))
        if on < course.start_on:
            raise ValidationFailed(
                (Problem("paused_on", "The pause starts after the first dose."),)
            )
        pause = CoursePause(course_id=course.id, paused_on=on, pause_reason=reason.strip())
        session.add(pause)
        course.status = CourseStatus.PAUSED
        stamp(course, ctx)
        session.flush()
        audit(
            session,
            ctx,
            "course.pause",
            "course",
            course.id,
            patient_id=course.patient_id,
            new={"paused_on": on, "reason": reason.strip()},
            reason=reason.strip(),
        )
        return course_record(session, course)


def resume_course(
    ctx: Context, course_id: int, version: int, on: date, reason: str
) -> CourseRecord:
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    _reason_required(reason)
    if problems := implausible_dates({"resumed_on": on}):
        raise ValidationFailed(problems)
    with unit_of_work(ctx) as session:
        course = load_current(session, Course, course_id, version, "course")
        pause = _open_pause(session, course.id)
        if course.status != CourseStatus.PAUSED or pause is None:
            raise ValidationFailed((Problem("status", "This course is not paused."),))
        if on < pause.paused_on:
            raise ValidationFailed(
                (Problem("resumed_on", f"Resume on or after the pause ({pause.paused_on})."),)
            )
        pause.resumed_on = on
        pause.resume_reason = reason.strip()
        course.status = CourseStatus.ACTIVE
        stamp(course, ctx)
        session.flush()
        audit(
            session,
            ctx,
            "course.resume",
            "course",
            course.id,
            patient_id=course.patient_id,
            new={"resumed_on": on, "reason": reason.strip()},
            reason=reason.strip(),
        )
        return course_record(session, course)


def end_course(ctx: Context, course_id: int, version: int, last_dose_on: date) -> CourseRecord:
    """End treatment on its last dose day; post-course follow-up starts (domain.md §1.7)."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    if problems := implausible_dates({"last_dose_on": last_dose_on}):
        raise ValidationFailed(problems)
    with unit_of_work(ctx) as session:
        course = load_current(session, Course, course_id, version, "course")
        if course.status == CourseStatus.ENDED:
            raise ValidationFailed((Problem("status", "This course has already ended."),))
        if last_dose_on < course.start_on:
            raise ValidationFailed(
                (Problem("last_dose_on", "The last dose cannot be before the first."),)
            )
        if last_dose_on > ctx.today():
            raise ValidationFailed(
                (Problem("last_dose_on", "Record the end on or after the last dose day."),)
            )
        if (pause := _open_pause(session, course.id)) is not None:
            pause.resumed_on = max(last_dose_on, pause.paused_on)
            pause.resume_reason = "course ended"
        course.status = CourseStatus.ENDED
        course.last_dose_on = last_dose_on
        stamp(course, ctx)
        session.flush()
        audit(
            session,
            ctx,
            "course.end",
            "course",
            course.id,
            patient_id=course.patient_id,
            new={"last_dose_on": last_dose_on},
        )
        return course_record(session, course)
