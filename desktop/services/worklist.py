"""The worklist across all active and post-course patients: computed by the rules, kept per
course in the database so that showing it is one indexed query."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Select, delete, func, insert, or_, select
from sqlalchemy.orm import Session

from db.models import Course, Patient, StaffUser, WorklistComputation, WorklistEntry
from desktop.rules.worklist import (
    UPCOMING_DAYS,
    ItemStatus,
    Severity,
    WorkKind,
    WorklistItem,
    WorklistSettings,
    status_on,
    urgency_key,
    worklist_items,
)
from desktop.services.clinic_setup import modification_effective_on
from desktop.services.context import Clinic, Context
from desktop.services.course_records import CourseStatus
from desktop.services.course_snapshot import load_snapshots

FOLLOW_UP_DAYS_AFTER_LAST_DOSE = 120
"""Clinic policy [P]: an ended course stays on the worklist for 120 days, past the
post-course pregnancy test (1 month) and the earliest next course (2 months) (domain.md §1.7)."""
REFRESH_BATCH_COURSES = 500


@dataclass(frozen=True, slots=True)
class WorklistRow:
    patient_id: int
    course_id: int
    mrn: str
    patient_name: str
    prescriber_id: int
    prescriber_name: str
    kind: WorkKind
    due_on: date
    status: ItemStatus
    severity: Severity
    message: str


@dataclass(frozen=True, slots=True)
class WorklistView:
    as_of: date
    rows: tuple[WorklistRow, ...]
    stale_courses: int
    """Courses last computed before `as_of`; `refresh_worklist` brings them up to date."""

    def count(self, status: ItemStatus) -> int:
        return sum(1 for row in self.rows if row.status is status)


def tracked_courses(on: date) -> Select[Any]:
    """Courses the worklist follows on `on`: not ended, or ended recently."""
    follow_up_from = on - timedelta(days=FOLLOW_UP_DAYS_AFTER_LAST_DOSE)
    return select(Course.id).where(
        or_(Course.status != CourseStatus.ENDED, Course.last_dose_on >= follow_up_from)
    )


def settings_for(session: Session) -> WorklistSettings:
    return WorklistSettings(modification_effective_on=modification_effective_on(session))


def compute_items(
    session: Session, course_ids: Select[Any], on: date
) -> dict[int, tuple[WorklistItem, ...]]:
    """Items per course on `on`, straight from the rules (nothing stored)."""
    settings = settings_for(session)
    computed = {}
    for course_id, snapshot in load_snapshots(session, course_ids).items():
        facts = snapshot.facts()
        computed[course_id] = worklist_items(facts, on=on, settings=settings) if facts else ()
    return computed


def store_items(session: Session, course_ids: Select[Any], on: date) -> int:
    """Recompute and store the entries of the selected courses (inside the caller's unit of
    work, so the worklist always agrees with what was just saved)."""
    computed = compute_items(session, course_ids, on)
    if not computed:
        return 0
    ids = list(computed)
    owners = select(Course.id, Course.patient_id).where(Course.id.in_(ids))
    patients = {row.id: row.patient_id for row in session.execute(owners)}
    session.execute(delete(WorklistEntry).where(WorklistEntry.course_id.in_(ids)))
    session.execute(delete(WorklistComputation).where(WorklistComputation.course_id.in_(ids)))
    session.execute(insert(WorklistComputation), [{"course_id": i, "computed_on": on} for i in ids])
    entries = [
        {
            "course_id": course_id,
            "patient_id": patients[course_id],
            "computed_on": on,
            "kind": item.kind.value,
            "due_on": item.due_on,
            "severity": item.severity.value,
            "message": item.message,
        }
        for course_id, items in computed.items()
        for item in items
    ]
    if entries:
        session.execute(insert(WorklistEntry), entries)
    return len(ids)


def refresh_for_patients(session: Session, patient_ids: Iterable[int], on: date) -> None:
    """Called by the unit of work before it commits a change to these patients."""
    ids = sorted(set(patient_ids))
    if ids:
        store_items(session, tracked_courses(on).where(Course.patient_id.in_(ids)), on)


def refresh_worklist(ctx: Context) -> int:
    """Bring every course computed before today up to date, in batches (each its own short
    transaction, so workstations saving meanwhile wait at most one batch). Returns how many
    courses were recomputed. Run off the GUI thread."""
    today, done = ctx.today(), 0
    with ctx.sessions.write() as session:
        untracked = WorklistEntry.course_id.not_in(tracked_courses(today))
        session.execute(delete(WorklistEntry).where(untracked))
    while True:
        with ctx.sessions.write() as session:
            batch = list(session.scalars(_stale(today).limit(REFRESH_BATCH_COURSES)))
            if not batch:
                return done
            done += store_items(session, select(Course.id).where(Course.id.in_(batch)), today)


def _stale(on: date) -> Select[Any]:
    current = select(WorklistComputation.course_id).where(WorklistComputation.computed_on == on)
    return tracked_courses(on).where(Course.id.not_in(current)).order_by(Course.id)


def load_worklist(
    ctx: Context, *, kinds: frozenset[WorkKind] | None = None, prescriber_id: int | None = None
) -> WorklistView:
    """The stored worklist, most urgent first; statuses follow from today's date."""
    today = ctx.today()
    horizon = today + timedelta(days=UPCOMING_DAYS)
    query = (
        select(
            WorklistEntry,
            Patient.mrn,
            Patient.legal_name,
            Patient.preferred_name,
            Course.prescriber_id,
            StaffUser.display_name,
        )
        .join(Course, Course.id == WorklistEntry.course_id)
        .join(Patient, Patient.id == WorklistEntry.patient_id)
        .join(StaffUser, StaffUser.id == Course.prescriber_id)
        .where(WorklistEntry.due_on <= horizon)
        .where(WorklistEntry.course_id.in_(tracked_courses(today)))
    )
    if kinds:
        query = query.where(WorklistEntry.kind.in_([k.value for k in kinds]))
    if prescriber_id is not None:
        query = query.where(Course.prescriber_id == prescriber_id)
    with ctx.sessions.read() as session:
        rows = [_row(today, *found) for found in session.execute(query)]
        stale = session.scalar(select(func.count()).select_from(_stale(today).subquery())) or 0
    rows.sort(key=lambda r: urgency_key(WorklistItem(r.kind, r.due_on, r.status, r.severity, "")))
    return WorklistView(today, tuple(rows), stale)


def _row(
    today: date,
    entry: WorklistEntry,
    mrn: str,
    legal: str,
    preferred: str,
    prescriber_id: int,
    prescriber: str,
) -> WorklistRow:
    status = status_on(entry.due_on, today)
    severity = Severity(entry.severity)
    if entry.computed_on < today and status is not ItemStatus.UPCOMING:
        # Computed on an earlier day: the item has come due since; never show it milder.
        severity = max(severity, Severity.WARNING, key=lambda s: s.rank)
    name = f"{legal} ({preferred})" if preferred else legal
    return WorklistRow(
        entry.patient_id,
        entry.course_id,
        mrn,
        name,
        prescriber_id,
        prescriber,
        WorkKind(entry.kind),
        entry.due_on,
        status,
        severity,
        entry.message,
    )


def worklist_on(clinic: Clinic, on: date) -> tuple[WorklistRow, ...]:
    """The worklist for any day, computed from the record (nothing stored): what
    `isotrack worklist --on DATE` prints. A read: it needs no signed-in user."""
    with clinic.sessions.read() as session:
        computed = compute_items(session, tracked_courses(on), on)
        people = session.execute(
            select(
                Course.id,
                Patient.id,
                Patient.mrn,
                Patient.legal_name,
                Patient.preferred_name,
                Course.prescriber_id,
                StaffUser.display_name,
            )
            .join(Patient, Patient.id == Course.patient_id)
            .join(StaffUser, StaffUser.id == Course.prescriber_id)
            .where(Course.id.in_(list(computed)))
        ).all()
    rows = []
    for course_id, patient_id, mrn, legal, preferred, prescriber_id, prescriber in people:
        name = f"{legal} ({preferred})" if preferred else legal
        rows += [
            WorklistRow(
                patient_id,
                course_id,
                mrn,
                name,
                prescriber_id,
                prescriber,
                item.kind,
                item.due_on,
                item.status,
                item.severity,
                item.message,
            )
            for item in computed[course_id]
        ]
    rows.sort(
        key=lambda r: (urgency_key(WorklistItem(r.kind, r.due_on, r.status, r.severity, "")), r.mrn)
    )
    return tuple(rows)
