"""The worklist across all active and post-course patients: computed by the rules, kept per
course in the database so that showing it is one indexed query."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from sqlalchemy import Date, Select, and_, case, delete, func, insert, or_, select
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.orm import Session
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.functions import FunctionElement

from db.models import Course, Patient, StaffUser, WorklistComputation, WorklistEntry
from desktop.rules.worklist import (
    CLOSING_SOON_DAYS,
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
ROW_LIMIT = 500
"""The worklist shows the 500 most urgent items at a time; filters reach the rest."""


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
    """The most urgent items, at most `ROW_LIMIT` (filter to see the rest)."""
    total: int
    counts_by_status: dict[ItemStatus, int]
    counts_by_kind: dict[WorkKind, int]
    stale_courses: int
    """Courses last computed before `as_of`; `refresh_worklist` brings them up to date."""
    closing_soon: int = 0
    """Fill windows closing after today but within CLOSING_SOON_DAYS (counted as upcoming
    too): the ones to chase before they are due today."""

    def count(self, status: ItemStatus) -> int:
        return self.counts_by_status.get(status, 0)


def tracked_courses(on: date) -> Select[Any]:
    """Courses the worklist follows on `on`: not ended, or ended recently."""
    return select(Course.id).where(_is_tracked(on))


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


def recompute_every_course(session: Session, on: date) -> int:
    """Recompute every tracked course for `on` inside the caller's unit of work: a change to
    what the rules depend on clinic-wide (the 2026 iPLEDGE modification's effective date,
    the time zone that decides "today") changes items of patients nobody touched. Returns
    how many courses were recomputed; about 3 s for 7,000 courses, and such changes are
    rare."""
    session.execute(
        delete(WorklistEntry).where(WorklistEntry.course_id.not_in(tracked_courses(on)))
    )
    return store_items(session, tracked_courses(on), on)


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


def _is_tracked(today: date) -> Any:
    follow_up_from = today - timedelta(days=FOLLOW_UP_DAYS_AFTER_LAST_DOSE)
    return or_(Course.status != CourseStatus.ENDED, Course.last_dose_on >= follow_up_from)


class _ScannedDueOn(FunctionElement[date]):
    """`worklist_entries.due_on`, told not to use its index on SQLite (`+due_on`). Most
    entries are due within the week, so walking the due-date index and fetching each row
    from it took twice as long as reading the table straight through (11,000 entries:
    34 ms against 17 ms); other databases choose for themselves."""

    type = Date()
    name = "scanned_due_on"
    inherit_cache = True


@compiles(_ScannedDueOn)
def _compile_due_on(element: _ScannedDueOn, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(WorklistEntry.__table__.c.due_on, **kw)


@compiles(_ScannedDueOn, "sqlite")
def _compile_due_on_for_sqlite(element: _ScannedDueOn, compiler: SQLCompiler, **kw: Any) -> str:
    return "+" + compiler.process(WorklistEntry.__table__.c.due_on, **kw)


def _conditions(
    today: date, kinds: frozenset[WorkKind] | None, prescriber_id: int | None
) -> list[Any]:
    """What the view lists, as conditions on entries joined to their course."""
    due_within_the_week = _ScannedDueOn() <= today + timedelta(days=UPCOMING_DAYS)
    conditions = [due_within_the_week, _is_tracked(today)]
    if kinds:
        conditions.append(WorklistEntry.kind.in_([k.value for k in kinds]))
    if prescriber_id is not None:
        conditions.append(Course.prescriber_id == prescriber_id)
    return conditions


def _sql_urgency(today: date) -> tuple[Any, ...]:
    """`_urgency` in SQL, so the database sorts and cuts the list before Python sees it."""
    stale_info_due = and_(
        WorklistEntry.severity == Severity.INFO.value,
        WorklistEntry.due_on <= today,
        WorklistEntry.computed_on < today,
    )
    severity = case(
        (WorklistEntry.severity == Severity.URGENT.value, 0),
        (or_(WorklistEntry.severity == Severity.WARNING.value, stale_info_due), 1),
        else_=2,
    )
    status = case((WorklistEntry.due_on < today, 0), (WorklistEntry.due_on == today, 1), else_=2)
    return (severity, status, WorklistEntry.due_on, WorklistEntry.kind, Patient.mrn)


def load_worklist(
    ctx: Context, *, kinds: frozenset[WorkKind] | None = None, prescriber_id: int | None = None
) -> WorklistView:
    """The stored worklist, most urgent first, at most ROW_LIMIT rows, with counts of all of
    it; statuses follow from today's date. Sorted and cut in SQL: this runs at every sign-in
    over thousands of entries."""
    today = ctx.today()
    conditions = _conditions(today, kinds, prescriber_id)
    query = (
        select(
            WorklistEntry.patient_id,
            WorklistEntry.course_id,
            Patient.mrn,
            Patient.legal_name,
            Patient.preferred_name,
            Course.prescriber_id,
            StaffUser.display_name,
            WorklistEntry.kind,
            WorklistEntry.due_on,
            WorklistEntry.severity,
            WorklistEntry.message,
            WorklistEntry.computed_on,
        )
        .join(Course, Course.id == WorklistEntry.course_id)
        .join(Patient, Patient.id == WorklistEntry.patient_id)
        .join(StaffUser, StaffUser.id == Course.prescriber_id)
        .where(*conditions)
        .order_by(*_sql_urgency(today))
        .limit(ROW_LIMIT)
    )
    status = case(
        (WorklistEntry.due_on < today, ItemStatus.OVERDUE.value),
        (WorklistEntry.due_on == today, ItemStatus.DUE.value),
        else_=ItemStatus.UPCOMING.value,
    )
    closing_soon = case(
        (
            and_(
                WorklistEntry.kind == WorkKind.FILL_WINDOW_CLOSING.value,
                WorklistEntry.due_on > today,
                WorklistEntry.due_on <= today + timedelta(days=CLOSING_SOON_DAYS),
            ),
            1,
        ),
        else_=0,
    )
    counts = (
        select(status, WorklistEntry.kind, closing_soon, func.count())
        .join(Course, Course.id == WorklistEntry.course_id)
        .where(*conditions)
        .group_by(status, WorklistEntry.kind, closing_soon)
    )
    with ctx.sessions.read() as session:
        rows = tuple(_row(today, found) for found in session.execute(query))
        by_status: dict[ItemStatus, int] = {}
        by_kind: dict[WorkKind, int] = {}
        soon = 0
        for status_code, kind, is_soon, n in session.execute(counts):
            by_status[ItemStatus(status_code)] = by_status.get(ItemStatus(status_code), 0) + n
            by_kind[_KINDS[kind]] = by_kind.get(_KINDS[kind], 0) + n
            soon += n if is_soon else 0
        stale = session.scalar(select(func.count()).select_from(_stale(today).subquery())) or 0
    return WorklistView(today, rows, sum(by_status.values()), by_status, by_kind, stale, soon)


_KINDS = {k.value: k for k in WorkKind}
_SEVERITIES = {s.value: s for s in Severity}
_STATUS_ORDER = {ItemStatus.OVERDUE: 0, ItemStatus.DUE: 1, ItemStatus.UPCOMING: 2}


def _urgency(row: "WorklistRow") -> tuple[int, int, date, str, str]:
    """The rules' order (`urgency_key`): most severe, then overdue, due, upcoming, then
    earliest due; ties by kind and MRN so the list never reshuffles between refreshes."""
    return (-row.severity.rank, _STATUS_ORDER[row.status], row.due_on, row.kind.value, row.mrn)


def _row(today: date, found: Any) -> WorklistRow:
    (
        patient_id,
        course_id,
        mrn,
        legal,
        preferred,
        prescriber_id,
        prescriber,
        kind,
        due_on,
        severity_code,
        message,
        computed_on,
    ) = found
    status = status_on(due_on, today)
    severity = _SEVERITIES[severity_code]
    if computed_on < today and status is not ItemStatus.UPCOMING and severity is Severity.INFO:
        # Computed on an earlier day: the item has come due since; never show it milder.
        severity = Severity.WARNING
    name = f"{legal} ({preferred})" if preferred else legal
    return WorklistRow(
        patient_id,
        course_id,
        mrn,
        name,
        prescriber_id,
        prescriber,
        _KINDS[kind],
        due_on,
        status,
        severity,
        message,
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
