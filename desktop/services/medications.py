"""The patient's other medications and supplements: recorded, edited, stopped (never
deleted, so the chart keeps what was taken), and the interaction cautions they raise
(domain.md §6, §1.5)."""

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Patient, PatientMedication
from desktop.rules.interactions import Caution, PatientFlags, medication_cautions
from desktop.rules.medications import MedicationDraft, check_medication, check_stop
from desktop.rules.patients import RiskCategory
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.roles import Permission, require
from desktop.services.unit_of_work import (
    audit,
    changed_only,
    load_current,
    snapshot,
    stamp,
    unit_of_work,
)

MEDICATION_FIELDS = ("name", "dose", "started_on")
STOP_FIELDS = ("stopped_on", "stop_reason")
ENTITY = "medication"


@dataclass(frozen=True, slots=True)
class MedicationRecord:
    id: int
    version: int
    patient_id: int
    name: str
    dose: str
    started_on: date | None
    stopped_on: date | None
    stop_reason: str
    recorded_by_name: str
    updated_at: datetime
    updated_by_name: str

    @property
    def is_current(self) -> bool:
        return self.stopped_on is None


def _to_record(row: PatientMedication) -> MedicationRecord:
    return MedicationRecord(
        id=row.id,
        version=row.version,
        patient_id=row.patient_id,
        name=row.name,
        dose=row.dose,
        started_on=row.started_on,
        stopped_on=row.stopped_on,
        stop_reason=row.stop_reason,
        recorded_by_name=row.recorded_by_name,
        updated_at=row.updated_at,
        updated_by_name=row.updated_by_name,
    )


def _patient(session: Session, patient_id: int) -> Patient:
    patient = session.get(Patient, patient_id)
    if patient is None:
        raise NotFound("This patient no longer exists.")
    return patient


def _medications(session: Session, patient_id: int) -> list[PatientMedication]:
    """Current entries first, then stopped ones newest stop first; each group by name."""
    query = select(PatientMedication).where(PatientMedication.patient_id == patient_id)
    rows = list(session.scalars(query))
    current = sorted((r for r in rows if r.stopped_on is None), key=lambda r: r.name.lower())
    stopped = sorted(
        (r for r in rows if r.stopped_on is not None),
        key=lambda r: (-(r.stopped_on or date.min).toordinal(), r.name.lower()),
    )
    return current + stopped


def list_medications(ctx: Context, patient_id: int) -> tuple[MedicationRecord, ...]:
    """Every entry of the patient, current ones first, stopped ones kept below them."""
    with ctx.sessions.read() as session:
        _patient(session, patient_id)
        return tuple(_to_record(row) for row in _medications(session, patient_id))


def get_medication(ctx: Context, medication_id: int) -> MedicationRecord:
    """The entry as saved now, so an edit starts from the latest version."""
    with ctx.sessions.read() as session:
        row = session.get(PatientMedication, medication_id)
        if row is None:
            raise NotFound("This medication entry no longer exists.")
        return _to_record(row)


def patient_flags(patient: Patient) -> PatientFlags:
    """The chart's one pregnant-or-breastfeeding flag sets both rule flags: until the nurse
    knows which, both hard stops apply (domain.md §1.7). The chart records no excipient
    sensitivities, so those stay off."""
    return PatientFlags(
        can_get_pregnant=patient.risk_category == RiskCategory.CAN_GET_PREGNANT,
        is_pregnant=patient.is_pregnant_or_breastfeeding,
        is_breastfeeding=patient.is_pregnant_or_breastfeeding,
        has_retinoid_allergy=patient.has_retinoid_allergy,
    )


def current_cautions(ctx: Context, patient_id: int) -> tuple[Caution, ...]:
    """The cautions of the medications the patient takes now, with the patient's own hard
    stops, most severe first (domain.md §6). Stopped entries raise nothing."""
    with ctx.sessions.read() as session:
        patient = _patient(session, patient_id)
        names = [r.name for r in _medications(session, patient_id) if r.stopped_on is None]
        return medication_cautions(names, patient_flags(patient))


def _apply(row: PatientMedication, draft: MedicationDraft) -> None:
    row.name = draft.name.strip()
    row.dose = draft.dose.strip()
    row.started_on = draft.started_on


def add_medication(ctx: Context, patient_id: int, draft: MedicationDraft) -> MedicationRecord:
    """Record a medication or supplement the patient takes (audited)."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    with unit_of_work(ctx) as session:
        patient = _patient(session, patient_id)
        if problems := check_medication(draft, birth_date=patient.birth_date, today=ctx.today()):
            raise ValidationFailed(problems)
        now, who = ctx.now(), ctx.actor.display_name
        row = PatientMedication(
            patient_id=patient_id,
            stop_reason="",
            recorded_by_name=who,
            created_at=now,
            updated_at=now,
            updated_by_name=who,
        )
        _apply(row, draft)
        session.add(row)
        session.flush()
        new = snapshot(row, MEDICATION_FIELDS)
        audit(session, ctx, "medication.create", ENTITY, row.id, patient_id=patient_id, new=new)
        return _to_record(row)


def update_medication(
    ctx: Context, medication_id: int, version: int, draft: MedicationDraft
) -> MedicationRecord:
    """Save edits made on top of `version`; refused, naming who and when, if someone saved
    the entry since."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    with unit_of_work(ctx) as session:
        row = load_current(session, PatientMedication, medication_id, version, ENTITY)
        patient = _patient(session, row.patient_id)
        problems = check_medication(
            draft, birth_date=patient.birth_date, today=ctx.today(), stopped_on=row.stopped_on
        )
        if problems:
            raise ValidationFailed(problems)
        before = snapshot(row, MEDICATION_FIELDS)
        _apply(row, draft)
        old, new = changed_only(before, snapshot(row, MEDICATION_FIELDS))
        if not new:
            return _to_record(row)
        stamp(row, ctx)
        session.flush()
        audit(
            session,
            ctx,
            "medication.update",
            ENTITY,
            row.id,
            patient_id=row.patient_id,
            old=old,
            new=new,
        )
        return _to_record(row)


def stop_medication(
    ctx: Context, medication_id: int, version: int, stopped_on: date | None, reason: str
) -> MedicationRecord:
    """Mark the entry stopped on `stopped_on` for `reason`; it stays on the chart."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    with unit_of_work(ctx) as session:
        row = load_current(session, PatientMedication, medication_id, version, ENTITY)
        if row.stopped_on is not None:
            raise ValidationFailed(
                (Problem("stopped_on", f"Already stopped on {row.stopped_on.isoformat()}."),)
            )
        patient = _patient(session, row.patient_id)
        problems = check_stop(
            stopped_on,
            reason,
            started_on=row.started_on,
            birth_date=patient.birth_date,
            today=ctx.today(),
        )
        if problems:
            raise ValidationFailed(problems)
        before = snapshot(row, STOP_FIELDS)
        row.stopped_on = stopped_on
        row.stop_reason = reason.strip()
        stamp(row, ctx)
        session.flush()
        # The name rides along so the history says what was stopped.
        new = {"name": row.name, **snapshot(row, STOP_FIELDS)}
        audit(
            session,
            ctx,
            "medication.stop",
            ENTITY,
            row.id,
            patient_id=row.patient_id,
            old=before,
            new=new,
            reason=row.stop_reason,
        )
        return _to_record(row)
