"""Consents: which forms a patient needs now, and signing one with the exact template version
(domain.md §5). Signing asks for the recording user's password again (issue 6, item 11).

A signature on record is never edited: correcting it (a wrong date, witness, guardian or
template version) voids it with a reason and records the corrected signature as a new row
that replaces it; one recorded in error is voided alone. A voided signature stays on file
with its values and no longer counts: the form is missing again unless another stands."""

from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ConsentSignatureRow, Patient
from desktop.rules.ages import is_minor_on
from desktop.rules.consents import ConsentForm, SignerRole, required_consent_forms
from desktop.rules.dates import implausible_dates
from desktop.rules.patients import RiskCategory
from desktop.rules.problems import Problem
from desktop.services.consent_template_versions import signable_versions, version_in_force
from desktop.services.context import Context
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.records import VoidRecord
from desktop.services.roles import Permission, require
from desktop.services.signatures import (
    CONSENT_CORRECTION_MEANING,
    CONSENT_MEANING,
    Correction,
    Signature,
    VoidedRow,
    reason_problems,
    replace_signed,
    sign,
    signer,
    standing_row,
    void_record,
    void_signed,
)
from desktop.services.unit_of_work import audit, unit_of_work

WHAT = "consent signature"
NOTHING_CORRECTED = (
    "Nothing differs from the signed record: change what was wrong, or void it if it was "
    "recorded in error."
)

CONSENT_FORM_TITLES = {
    ConsentForm.INFORMED_CONSENT: "Informed consent (all patients)",
    ConsentForm.PREGNANCY_PREVENTION: "Pregnancy prevention and birth defects",
    ConsentForm.CONTRACEPTION_COUNSELING: "Contraception counselling",
}


@dataclass(frozen=True, slots=True)
class ConsentSignatureRecord:
    id: int
    form: ConsentForm
    template_version: str
    signed_on: date
    guardian_name: str
    witness_name: str
    prescriber_name: str
    recorded_by_name: str
    guardian_relationship: str = ""
    recorded_at: datetime | None = None
    signature_hash: str = ""
    replaces_id: int | None = None
    """The voided signature this one corrects."""
    replaced_by_id: int | None = None
    """The signature that corrects this one (it is then voided)."""
    voided: VoidRecord | None = None

    @property
    def counts(self) -> bool:
        return self.voided is None


@dataclass(frozen=True, slots=True)
class ConsentNeed:
    form: ConsentForm
    title: str
    signers: tuple[SignerRole, ...]
    signed: ConsentSignatureRecord | None
    latest_version: str


@dataclass(frozen=True, slots=True)
class ConsentDraft:
    patient_id: int
    form: ConsentForm
    template_version: str
    signed_on: date | None
    prescriber_name: str
    guardian_name: str = ""
    guardian_relationship: str = ""
    witness_name: str = ""


def _record(row: ConsentSignatureRow, replaced_by_id: int | None = None) -> ConsentSignatureRecord:
    return ConsentSignatureRecord(
        row.id,
        ConsentForm(row.form),
        row.template_version,
        row.signed_on,
        row.guardian_name,
        row.witness_name,
        row.prescriber_name,
        row.recorded_by_name,
        row.guardian_relationship,
        row.recorded_at,
        row.signature_hash,
        row.replaces_id,
        replaced_by_id,
        void_record(row),
    )


def consent_needs(ctx: Context, patient_id: int, on: date | None = None) -> tuple[ConsentNeed, ...]:
    """The forms this patient needs on `on` (by category and age that day) and the latest
    signature of each that stands (voided ones do not), if any."""
    day = on or ctx.today()
    with ctx.sessions.read() as session:
        patient = session.get(Patient, patient_id)
        if patient is None:
            raise NotFound("This patient no longer exists.")
        required = required_consent_forms(
            can_get_pregnant=patient.risk_category == RiskCategory.CAN_GET_PREGNANT,
            birth_date=patient.birth_date,
            on=day,
        )
        rows = session.scalars(
            select(ConsentSignatureRow)
            .where(
                ConsentSignatureRow.patient_id == patient_id,
                ConsentSignatureRow.voided_at.is_(None),
            )
            .order_by(ConsentSignatureRow.signed_on, ConsentSignatureRow.id)
        )
        latest = {ConsentForm(r.form): _record(r) for r in rows}
        in_force = {r.form: version_in_force(session, r.form, day).version for r in required}
    return tuple(
        ConsentNeed(
            r.form,
            CONSENT_FORM_TITLES[r.form],
            r.signers,
            latest.get(r.form),
            in_force[r.form],
        )
        for r in required
    )


def _check(draft: ConsentDraft, patient: Patient, session: Session, today: date) -> list[Problem]:
    problems = list(implausible_dates({"signed_on": draft.signed_on}))
    if draft.signed_on is None or draft.signed_on > today:
        problems.append(Problem("signed_on", "Enter the date signed (not in the future)."))
    if draft.template_version not in signable_versions(session, draft.form, today):
        problems.append(Problem("template_version", "Choose the version that was signed."))
    if not draft.prescriber_name.strip():
        problems.append(Problem("prescriber_name", "Enter the prescriber who signed."))
    minor = draft.signed_on is not None and is_minor_on(patient.birth_date, draft.signed_on)
    if minor and not draft.guardian_name.strip():
        message = "The patient was under 18 that day: enter the parent or guardian who signed."
        problems.append(Problem("guardian_name", message))
    if minor and not draft.guardian_relationship.strip():
        message = "Enter the guardian's relationship to the patient."
        problems.append(Problem("guardian_relationship", message))
    return problems


def _content(patient: Patient, draft: ConsentDraft) -> tuple[object, ...]:
    """What a consent signature fixes, in the order its hash reads it."""
    return (
        patient.mrn,
        draft.form,
        draft.template_version,
        draft.signed_on,
        draft.guardian_name.strip(),
        draft.guardian_relationship.strip(),
        draft.witness_name.strip(),
        draft.prescriber_name.strip(),
    )


def _new_row(
    patient: Patient,
    draft: ConsentDraft,
    signature: Signature,
    replaces: ConsentSignatureRow | None = None,
) -> ConsentSignatureRow:
    """A correction keeps the course the replaced signature was recorded for, if any."""
    assert draft.signed_on is not None
    return ConsentSignatureRow(
        patient_id=patient.id,
        course_id=replaces.course_id if replaces is not None else None,
        form=draft.form.value,
        template_version=draft.template_version,
        signed_on=draft.signed_on,
        guardian_name=draft.guardian_name.strip(),
        guardian_relationship=draft.guardian_relationship.strip(),
        witness_name=draft.witness_name.strip(),
        prescriber_name=draft.prescriber_name.strip(),
        recorded_at=signature.signed_at,
        recorded_by_name=signature.printed_name,
        signature_hash=signature.content_hash,
        replaces_id=replaces.id if replaces is not None else None,
    )


def _values(row: ConsentSignatureRow) -> dict[str, Any]:
    """What was signed, as the audit trail keeps it."""
    return {
        "form": row.form,
        "template_version": row.template_version,
        "signed_on": row.signed_on,
        "guardian_name": row.guardian_name,
        "guardian_relationship": row.guardian_relationship,
        "witness_name": row.witness_name,
        "prescriber_name": row.prescriber_name,
    }


def record_consent_signature(
    ctx: Context, draft: ConsentDraft, password: str
) -> ConsentSignatureRecord:
    """Record a signed form. The recording user confirms with their password, so a signature
    on record is attributable to a person, not to a workstation left open."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    with unit_of_work(ctx) as session:
        patient = session.get(Patient, draft.patient_id)
        if patient is None:
            raise NotFound("This patient no longer exists.")
        if problems := _check(draft, patient, session, ctx.today()):
            raise ValidationFailed(tuple(problems))
        signature = sign(session, ctx, password, CONSENT_MEANING, *_content(patient, draft))
        row = _new_row(patient, draft, signature)
        session.add(row)
        session.flush()
        audit(
            session,
            ctx,
            "consent.sign",
            "consent_signature",
            row.id,
            patient_id=patient.id,
            new={
                **_values(row),
                "signed_by": signature.printed_name,
                "meaning": signature.meaning,
                "signature_hash": row.signature_hash,
            },
        )
        return _record(row)


def consent_signatures(ctx: Context, patient_id: int) -> tuple[ConsentSignatureRecord, ...]:
    """Every signature recorded for the patient, voided ones included (they stay on file),
    newest first."""
    with ctx.sessions.read() as session:
        rows = list(
            session.scalars(
                select(ConsentSignatureRow)
                .where(ConsentSignatureRow.patient_id == patient_id)
                .order_by(ConsentSignatureRow.recorded_at.desc(), ConsentSignatureRow.id.desc())
            )
        )
        replaced_by = {r.replaces_id: r.id for r in rows if r.replaces_id is not None}
        return tuple(_record(r, replaced_by.get(r.id)) for r in rows)


def _voided(row: ConsentSignatureRow) -> VoidedRow:
    return VoidedRow(
        WHAT,
        "consent",
        "consent_signature",
        "signature_id",
        row.id,
        row.patient_id,
        row.signature_hash,
        _values(row),
    )


def void_consent_signature(
    ctx: Context, signature_id: int, reason: str, password: str
) -> ConsentSignatureRecord:
    """A signature recorded in error (wrong patient, a form never signed): voided with the
    reason, signed with the user's password; it stays on file and the form is missing again
    unless another signature of it stands."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    if problems := reason_problems(reason):
        raise ValidationFailed(tuple(problems))
    with unit_of_work(ctx) as session:
        row = standing_row(session, ConsentSignatureRow, signature_id, WHAT)
        void_signed(session, ctx, row, _voided(row), signer(session, ctx, password), reason)
        return _record(row)


def correct_consent_signature(
    ctx: Context, signature_id: int, draft: ConsentDraft, reason: str, password: str
) -> ConsentSignatureRecord:
    """Correct a signature on record: it is voided with the reason and `draft` is recorded
    as a new signature that replaces it, both signed with the user's password once. The
    form and the patient stay those of the signed record. Returns the new signature."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    with unit_of_work(ctx) as session:
        old = standing_row(session, ConsentSignatureRow, signature_id, WHAT)
        if draft.patient_id != old.patient_id or draft.form.value != old.form:
            message = "A correction keeps the form and patient; void this one instead."
            raise ValidationFailed((Problem("form", message),))
        patient = session.get_one(Patient, old.patient_id)
        problems = _check(draft, patient, session, ctx.today()) + reason_problems(reason)
        if not problems and _draft_values(draft) == _values(old):
            problems.append(Problem("reason", NOTHING_CORRECTED))
        if problems:
            raise ValidationFailed(tuple(problems))
        by = signer(session, ctx, password)
        signature = by.sign(CONSENT_CORRECTION_MEANING, *_content(patient, draft), old.id)
        new = _new_row(patient, draft, signature, replaces=old)
        session.add(new)
        session.flush()
        correction = Correction(new.id, signature, _values(new))
        replace_signed(session, ctx, old, _voided(old), by, reason, correction)
        return _record(new)


def _draft_values(draft: ConsentDraft) -> dict[str, Any]:
    return {
        "form": draft.form.value,
        "template_version": draft.template_version,
        "signed_on": draft.signed_on,
        "guardian_name": draft.guardian_name.strip(),
        "guardian_relationship": draft.guardian_relationship.strip(),
        "witness_name": draft.witness_name.strip(),
        "prescriber_name": draft.prescriber_name.strip(),
    }
