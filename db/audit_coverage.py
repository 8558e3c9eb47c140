"""What the hash chain cannot see: entries removed from its end, and guards taken away.

`verify_chain` proves the entries that are there were not altered, removed from the middle or
inserted out of band; deleting the newest entries (with the append-only triggers dropped)
leaves a shorter chain that is still whole. These checks do not trust the trail alone:

- **Coverage.** Every write of a clinical or staff record appends its audit entry in the same
  transaction, stamped by the same clock after the record's own time (`updated_at`,
  `recorded_at` …). So for every record, the trail must hold an entry in the record's scope
  (its patient, or the record itself for staff, settings and templates) dated at or after the
  record's time; otherwise the entry of its last change is missing. Compared within one
  workstation's clock, so clocks that differ between workstations do not matter.
- **Guards.** The append-only triggers are still there (SQLite) and enabled (PostgreSQL).

Every table is classified below; tests/db/test_audit_coverage.py fails on a table that is not.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Select, func, select, text
from sqlalchemy.orm import Session

from db.base import Base
from db.models import (
    AuditEntry,
    ClinicFormRow,
    ClinicSettings,
    ComprehensionRow,
    ConsentSignatureRow,
    ConsentTemplateVersionRow,
    ContraceptionRow,
    CounselingConfirmationRow,
    Course,
    DosePeriodRow,
    FillRow,
    LabResultRow,
    Patient,
    PatientMedication,
    PregnancyTestRow,
    PrintedDocumentRow,
    StaffUser,
    VisitFollowUpRow,
    VisitRow,
)

SQLITE_GUARDS = ("audit_entries_no_delete", "audit_entries_no_update")
POSTGRES_GUARDS = ("audit_entries_no_change", "audit_entries_no_truncate")
SHOWN_PROBLEMS = 10


@dataclass(frozen=True, slots=True)
class PatientScoped:
    """Rows of one patient: audited with that patient's id (`patient_id` on the entry)."""

    table: type[Base]
    written_at: str
    patient: str = "patient_id"
    via_course: bool = False


@dataclass(frozen=True, slots=True)
class EntityScoped:
    """Rows audited under their own entity name and id (staff, settings, templates)."""

    table: type[Base]
    written_at: str
    entity: str


CHECKED: tuple[PatientScoped | EntityScoped, ...] = (
    PatientScoped(Patient, "updated_at", patient="id"),
    PatientScoped(Course, "updated_at"),
    PatientScoped(PatientMedication, "updated_at"),
    PatientScoped(PrintedDocumentRow, "printed_at"),
    PatientScoped(ConsentSignatureRow, "recorded_at"),
    PatientScoped(VisitRow, "updated_at", via_course=True),
    PatientScoped(DosePeriodRow, "recorded_at", via_course=True),
    PatientScoped(FillRow, "recorded_at", via_course=True),
    PatientScoped(LabResultRow, "recorded_at", via_course=True),
    PatientScoped(PregnancyTestRow, "recorded_at", via_course=True),
    PatientScoped(ContraceptionRow, "recorded_at", via_course=True),
    PatientScoped(ComprehensionRow, "recorded_at", via_course=True),
    PatientScoped(CounselingConfirmationRow, "recorded_at", via_course=True),
    PatientScoped(VisitFollowUpRow, "recorded_at", via_course=True),
    EntityScoped(StaffUser, "updated_at", "staff_user"),
    EntityScoped(ClinicSettings, "updated_at", "clinic"),
    EntityScoped(ClinicFormRow, "updated_at", "clinic_form"),
    EntityScoped(ConsentTemplateVersionRow, "added_at", "consent_template_version"),
)

UNCHECKED = {
    "audit_entries": "the trail itself",
    "worklist_entries": "derived: recomputed from the clinical rows, never audited",
    "worklist_computations": "derived: the day each course's worklist was computed",
    "weights": "no time of writing; saved with a visit or weight entry of an audited course",
    "missed_doses": "no time of writing; saved with a visit or entry of an audited course",
    "course_pauses": "no time of writing; a pause stamps its course, which is checked",
}
"""Tables the coverage check leaves out, and why."""


@dataclass(frozen=True, slots=True)
class Unaudited:
    """A record whose last change has no audit entry: its table, id and time, never data."""

    table: str
    row_id: int
    written_at: datetime
    last_entry_at: datetime | None
    scope: str

    def describe(self) -> str:
        since = (
            f"the newest entry about {self.scope} is from {self.last_entry_at:%Y-%m-%d %H:%M:%S}"
            if self.last_entry_at is not None
            else f"the trail has no entry about {self.scope}"
        )
        return (
            f"{self.table} row {self.row_id} was written at {self.written_at:%Y-%m-%d %H:%M:%S}"
            f" UTC but {since}: entries have been removed"
        )


def _newest_per_patient(session: Session) -> dict[int, datetime]:
    query = (
        select(AuditEntry.patient_id, func.max(AuditEntry.at))
        .where(AuditEntry.patient_id.is_not(None))
        .group_by(AuditEntry.patient_id)
    )
    return {pid: at for pid, at in session.execute(query) if pid is not None}


def _newest_per_entity(session: Session, entity: str) -> dict[int, datetime]:
    query = (
        select(AuditEntry.entity_id, func.max(AuditEntry.at))
        .where(AuditEntry.entity == entity, AuditEntry.entity_id.is_not(None))
        .group_by(AuditEntry.entity_id)
    )
    return {eid: at for eid, at in session.execute(query) if eid is not None}


def _rows(check: PatientScoped | EntityScoped) -> Select[int, int, datetime]:
    model = check.table
    row_id: ColumnElement[int] = getattr(model, "id")  # noqa: B009
    written: ColumnElement[datetime] = getattr(model, check.written_at)
    if isinstance(check, EntityScoped):
        return select(row_id, row_id, written).order_by(row_id)
    if check.via_course:
        course_id: ColumnElement[int] = getattr(model, "course_id")  # noqa: B009
        query = select(row_id, Course.patient_id, written).join(Course, Course.id == course_id)
        return query.order_by(row_id)
    return select(row_id, getattr(model, check.patient), written).order_by(row_id)


def unaudited_records(session: Session) -> Iterator[Unaudited]:
    """Every record whose time is later than the newest audit entry in its scope."""
    per_patient = _newest_per_patient(session)
    for check in CHECKED:
        table = check.table.__tablename__
        if isinstance(check, EntityScoped):
            newest = _newest_per_entity(session, check.entity)
        for row_id, owner, written in session.execute(_rows(check)):
            if isinstance(check, EntityScoped):
                last, scope = newest.get(owner), f"{check.entity} {owner}"
            else:
                last, scope = per_patient.get(owner), f"patient {owner}"
            if last is None or last < written:
                yield Unaudited(table, row_id, written, last, scope)


def missing_guards(session: Session) -> list[str]:
    """The append-only triggers that are missing or switched off."""
    if session.get_bind().dialect.name == "sqlite":
        present = set(
            session.execute(
                text("SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = :t"),
                {"t": AuditEntry.__tablename__},
            ).scalars()
        )
        return [f"the append-only trigger {name} is missing" for name in SQLITE_GUARDS
                if name not in present]  # fmt: skip
    query = text(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = "
        "CAST(:t AS regclass) AND NOT tgisinternal"
    )
    states: dict[str, str] = dict(session.execute(query, {"t": AuditEntry.__tablename__}).all())
    problems = []
    for name in POSTGRES_GUARDS:
        state = states.get(name)
        if state is None:
            problems.append(f"the append-only trigger {name} is missing")
        elif state not in ("O", "A"):  # enabled (origin) or always; 'D' disabled, 'R' replica
            problems.append(f"the append-only trigger {name} is switched off")
    return problems


@dataclass(frozen=True, slots=True)
class CoverageReport:
    guards: tuple[str, ...]
    unaudited: tuple[Unaudited, ...]
    unaudited_total: int

    @property
    def is_complete(self) -> bool:
        return not self.guards and not self.unaudited_total

    def problems(self) -> tuple[str, ...]:
        shown = tuple(u.describe() for u in self.unaudited)
        more = self.unaudited_total - len(self.unaudited)
        tail = (f"and {more} more records like these",) if more else ()
        return (*self.guards, *shown, *tail)


def check_coverage(session: Session) -> CoverageReport:
    unaudited = list(unaudited_records(session))
    return CoverageReport(
        tuple(missing_guards(session)), tuple(unaudited[:SHOWN_PROBLEMS]), len(unaudited)
    )


def classified_tables() -> set[str]:
    return {c.table.__tablename__ for c in CHECKED} | set(UNCHECKED)


def all_tables() -> set[str]:
    return set(Base.metadata.tables)
