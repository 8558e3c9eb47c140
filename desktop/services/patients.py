"""Patient registry: register, edit, search, open, and the patient's audit history."""

import json
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import ColumnElement, Label, Select, String, case, cast, false, func, or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from db.models import AuditEntry, Course, Patient
from db.models.patient import MRN_CONSTRAINTS
from desktop.rules.patients import (
    PatientDraft,
    RiskCategory,
    SexAtBirth,
    check_patient,
    fold_for_search,
)
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.course_records import CourseStatus
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.records import AuditRecord, FieldChange, PatientListRow, PatientRecord
from desktop.services.roles import Permission, require
from desktop.services.unit_of_work import (
    audit,
    changed_only,
    load_current,
    snapshot,
    stamp,
    unit_of_work,
)
from desktop.services.worklist import FOLLOW_UP_DAYS_AFTER_LAST_DOSE

PATIENT_FIELDS = (
    "mrn",
    "legal_name",
    "preferred_name",
    "birth_date",
    "sex_at_birth",
    "risk_category",
    "ipledge_patient_id",
    "phone",
    "email",
    "allergies",
    "has_retinoid_allergy",
    "is_pregnant_or_breastfeeding",
    "guardian_name",
    "guardian_relationship",
)
SEARCH_LIMIT = 500
_MRN_TAKEN = Problem("mrn", "Another patient already has this MRN.")


def _validated(ctx: Context, draft: PatientDraft) -> PatientDraft:
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    if problems := check_patient(draft, today=ctx.today()):
        raise ValidationFailed(problems)
    return draft


def _apply(row: Patient, draft: PatientDraft) -> None:
    row.mrn = draft.mrn.strip()
    row.legal_name = draft.legal_name.strip()
    row.preferred_name = draft.preferred_name.strip()
    assert draft.birth_date is not None  # check_patient refused a missing date
    assert draft.sex_at_birth is not None
    row.birth_date = draft.birth_date
    row.sex_at_birth = draft.sex_at_birth.value
    row.risk_category = draft.risk_category.value if draft.risk_category else None
    row.ipledge_patient_id = draft.ipledge_patient_id.strip()
    row.phone = draft.phone.strip()
    row.email = draft.email.strip()
    row.allergies = draft.allergies.strip()
    row.has_retinoid_allergy = draft.has_retinoid_allergy
    row.is_pregnant_or_breastfeeding = draft.is_pregnant_or_breastfeeding
    row.guardian_name = draft.guardian_name.strip()
    row.guardian_relationship = draft.guardian_relationship.strip()
    row.search_text = search_text_for(row.legal_name, row.preferred_name, row.mrn)


def search_text_for(legal_name: str, preferred_name: str, mrn: str) -> str:
    return fold_for_search(f"{legal_name} {preferred_name} {mrn}")


def to_patient_record(row: Patient) -> PatientRecord:
    return PatientRecord(
        id=row.id,
        version=row.version,
        mrn=row.mrn,
        legal_name=row.legal_name,
        preferred_name=row.preferred_name,
        birth_date=row.birth_date,
        sex_at_birth=SexAtBirth(row.sex_at_birth),
        risk_category=RiskCategory(row.risk_category) if row.risk_category else None,
        ipledge_patient_id=row.ipledge_patient_id,
        phone=row.phone,
        email=row.email,
        allergies=row.allergies,
        has_retinoid_allergy=row.has_retinoid_allergy,
        is_pregnant_or_breastfeeding=row.is_pregnant_or_breastfeeding,
        guardian_name=row.guardian_name,
        guardian_relationship=row.guardian_relationship,
        created_at=row.created_at,
        updated_at=row.updated_at,
        updated_by_name=row.updated_by_name,
    )


def mrn_is(mrn: str) -> ColumnElement[bool]:
    """The same MRN whatever its letter case (as the database's unique index sees it)."""
    return func.lower(Patient.mrn) == mrn.strip().lower()


def is_mrn_clash(error: IntegrityError) -> bool:
    """True when the refused write broke MRN uniqueness, not some other constraint.
    psycopg names the constraint; SQLite names the column or the index in its message."""
    diagnostics = getattr(error.orig, "diag", None)
    if (constraint := getattr(diagnostics, "constraint_name", None)) is not None:
        return constraint in MRN_CONSTRAINTS
    message = str(error.orig)
    if not message.startswith("UNIQUE constraint failed"):
        return False
    return "patients.mrn" in message or any(name in message for name in MRN_CONSTRAINTS)


def register_patient(ctx: Context, draft: PatientDraft) -> PatientRecord:
    """Add a patient to the registry (audited). The MRN must be new in any letter case."""
    _validated(ctx, draft)
    try:
        with unit_of_work(ctx) as session:
            if session.scalar(select(Patient.id).where(mrn_is(draft.mrn))):
                raise ValidationFailed((_MRN_TAKEN,))
            now = ctx.now()
            row = Patient(created_at=now, updated_at=now, updated_by_name=ctx.actor.display_name)
            _apply(row, draft)
            session.add(row)
            session.flush()
            audit(
                session,
                ctx,
                "patient.create",
                "patient",
                row.id,
                patient_id=row.id,
                new=snapshot(row, PATIENT_FIELDS),
            )
            return to_patient_record(row)
    except IntegrityError as error:
        # Another workstation registered the same MRN between our check and our insert.
        if is_mrn_clash(error):
            raise ValidationFailed((_MRN_TAKEN,)) from None
        raise


def update_patient(
    ctx: Context, patient_id: int, version: int, draft: PatientDraft
) -> PatientRecord:
    """Save edits made on top of `version`; refused if someone saved the patient since."""
    _validated(ctx, draft)
    try:
        with unit_of_work(ctx) as session:
            row = load_current(session, Patient, patient_id, version, "patient")
            clash = select(Patient.id).where(mrn_is(draft.mrn), Patient.id != row.id)
            if session.scalar(clash):
                raise ValidationFailed((_MRN_TAKEN,))
            before = snapshot(row, PATIENT_FIELDS)
            _apply(row, draft)
            old, new = changed_only(before, snapshot(row, PATIENT_FIELDS))
            if not new:
                return to_patient_record(row)
            stamp(row, ctx)
            session.flush()
            audit(
                session,
                ctx,
                "patient.update",
                "patient",
                row.id,
                patient_id=row.id,
                old=old,
                new=new,
            )
            return to_patient_record(row)
    except IntegrityError as error:
        if is_mrn_clash(error):
            raise ValidationFailed((_MRN_TAKEN,)) from None
        raise


def get_patient(ctx: Context, patient_id: int) -> PatientRecord:
    with ctx.sessions.read() as session:
        row = session.get(Patient, patient_id)
        if row is None:
            raise NotFound("This patient no longer exists.")
        return to_patient_record(row)


def find_patient_by_mrn(ctx: Context, mrn: str) -> PatientRecord:
    """The patient with this MRN, typed in any letter case."""
    with ctx.sessions.read() as session:
        row = session.scalar(select(Patient).where(mrn_is(mrn)))
        if row is None:
            raise NotFound(f"No patient has MRN {mrn.strip()!r}.")
        return to_patient_record(row)


class PatientStatus(StrEnum):
    """Where the patient stands, from their courses (the list's Status column). Listed in
    the order the column sorts: a patient's course life from registration onwards."""

    REGISTERED = "Registered"
    """No course yet."""
    ACTIVE = "Active course"
    PAUSED = "Course paused"
    FOLLOW_UP = "Post-course follow-up"
    """The last course ended within the worklist's follow-up days (services.worklist)."""
    ENDED = "Course ended"


_STATUS_BY_RANK = tuple(PatientStatus)


class PatientSort(StrEnum):
    """The columns the patient list sorts by, in SQL over every matching patient."""

    NAME = "name"
    MRN = "mrn"
    BIRTH_DATE = "birth_date"
    RISK_CATEGORY = "risk_category"
    STATUS = "status"


@dataclass(frozen=True, slots=True)
class PatientList:
    rows: tuple[PatientListRow, ...]
    """The first `limit` matching patients in the order asked for."""
    total: int
    """How many patients match: more than `len(rows)` when the list was cut."""

    @property
    def is_cut(self) -> bool:
        return self.total > len(self.rows)


def _status_rank(today: date) -> ColumnElement[int]:
    """The patient's most current course decides: an active course, else a paused one, else
    the latest ending (follow-up while recent); no course at all is 0. One indexed lookup
    per patient (courses are unique on patient and number), so it costs little for the
    500 rows shown and stays cheap when the whole match set is sorted by it."""
    follow_up_from = today - timedelta(days=FOLLOW_UP_DAYS_AFTER_LAST_DOSE)
    rank = case(
        (Course.status == CourseStatus.ACTIVE.value, 1),
        (Course.status == CourseStatus.PAUSED.value, 2),
        (Course.last_dose_on >= follow_up_from, 3),
        else_=4,
    )
    best = select(func.min(rank)).where(Course.patient_id == Patient.id).scalar_subquery()
    return func.coalesce(best, 0)


_RISK_CATEGORY_RANK = case(
    (Patient.risk_category == RiskCategory.CAN_GET_PREGNANT.value, 0),
    (Patient.risk_category == RiskCategory.CANNOT_GET_PREGNANT.value, 1),
    else_=2,  # not yet assigned: last, on SQLite and PostgreSQL alike
)


def _sort_key(sort: PatientSort, status_rank: Label[int]) -> ColumnElement[Any]:
    match sort:
        case PatientSort.NAME:
            return Patient.search_text.expression
        case PatientSort.MRN:
            return func.lower(Patient.mrn)
        case PatientSort.BIRTH_DATE:
            return Patient.birth_date.expression
        case PatientSort.RISK_CATEGORY:
            return _RISK_CATEGORY_RANK
        case PatientSort.STATUS:
            return status_rank


def _search_filter(text: str) -> list[ColumnElement[bool]]:
    """Each typed word must match the name or MRN, or (if it looks like one) the birth date."""
    conditions = []
    for word in fold_for_search(text).split():
        like = f"%{word.replace('%', '').replace('_', '')}%"
        conditions.append(or_(Patient.search_text.like(like), _birth_date_matches(word)))
    return conditions


def _birth_date_matches(word: str) -> ColumnElement[bool]:
    """A typed date of birth: part of YYYY-MM-DD, or a whole US-style M/D/YYYY."""
    if not word[:1].isdigit():
        return false()
    try:
        return Patient.birth_date == datetime.strptime(word, "%m/%d/%Y").date()  # noqa: DTZ007
    except ValueError:
        return cast(Patient.birth_date, String).like(f"%{word}%")


def _list_query(
    conditions: list[ColumnElement[bool]], today: date, sort: PatientSort, descending: bool
) -> Select[int, str, str, str, date, str | None, int]:
    status_rank = _status_rank(today).label("status_rank")  # sorted by name: worked out once
    key = _sort_key(sort, status_rank)
    order = [key.desc() if descending else key.asc()]
    if sort is not PatientSort.NAME:
        order.append(Patient.search_text.asc())  # ties in name order
    order.append(Patient.id.asc())
    return (
        select(
            Patient.id,
            Patient.mrn,
            Patient.legal_name,
            Patient.preferred_name,
            Patient.birth_date,
            Patient.risk_category,
            status_rank,
        )
        .where(*conditions)
        .order_by(*order)
    )


def _list_rows(
    session: Session, query: Select[int, str, str, str, date, str | None, int]
) -> tuple[PatientListRow, ...]:
    return tuple(
        PatientListRow(
            pid,
            mrn,
            legal,
            preferred,
            born,
            RiskCategory(category) if category else None,
            _STATUS_BY_RANK[rank],
        )
        for pid, mrn, legal, preferred, born, category, rank in session.execute(query)
    )


def list_patients(
    ctx: Context,
    text: str = "",
    *,
    sort: PatientSort = PatientSort.NAME,
    descending: bool = False,
    limit: int = SEARCH_LIMIT,
) -> PatientList:
    """Patients whose name, preferred name, MRN or date of birth (YYYY-MM-DD, or M/D/YYYY)
    contain every typed word (accents and case ignored), sorted by `sort` over the whole
    match set, the first `limit` of them, and how many match in all. Plain columns, not ORM
    objects: this runs as the nurse types."""
    conditions = _search_filter(text)
    with ctx.sessions.read() as session:
        rows = _list_rows(
            session, _list_query(conditions, ctx.today(), sort, descending).limit(limit)
        )
        total = len(rows)
        if total >= limit:  # perhaps cut: count them all
            count = select(func.count()).select_from(Patient).where(*conditions)
            total = session.scalar(count) or 0
        return PatientList(rows, total)


def search_patients(
    ctx: Context,
    text: str = "",
    limit: int = SEARCH_LIMIT,
    *,
    sort: PatientSort = PatientSort.NAME,
    descending: bool = False,
) -> tuple[PatientListRow, ...]:
    """The rows of `list_patients` alone, without counting the patients left out."""
    query = _list_query(_search_filter(text), ctx.today(), sort, descending).limit(limit)
    with ctx.sessions.read() as session:
        return _list_rows(session, query)


def patient_history(ctx: Context, patient_id: int) -> tuple[AuditRecord, ...]:
    """The audit trail of one patient, newest first."""
    query = (
        select(AuditEntry)
        .where(AuditEntry.patient_id == patient_id)
        .order_by(AuditEntry.seq.desc())
    )
    with ctx.sessions.read() as session:
        return tuple(to_audit_record(entry) for entry in session.scalars(query))


def to_audit_record(entry: AuditEntry) -> AuditRecord:
    old, new = json.loads(entry.old_values), json.loads(entry.new_values)
    changes = tuple(
        FieldChange(name, _shown(old.get(name)), _shown(new.get(name)))
        for name in sorted(set(old) | set(new))
    )
    return AuditRecord(
        entry.seq,
        entry.at,
        entry.actor_name,
        entry.workstation,
        entry.action,
        entry.entity,
        entry.entity_id,
        changes,
        entry.reason,
    )


def _shown(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)
