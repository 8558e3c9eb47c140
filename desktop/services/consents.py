"""Consents: which forms a patient needs now, and signing one with the exact template version
(domain.md §5). Signing asks for the recording user's password again (issue 6, item 11)."""

from dataclasses import dataclass
from datetime import date

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
from desktop.services.roles import Permission, require
from desktop.services.signatures import CONSENT_MEANING, sign
from desktop.services.unit_of_work import audit, unit_of_work

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


def _record(row: ConsentSignatureRow) -> ConsentSignatureRecord:
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
    )


def consent_needs(ctx: Context, patient_id: int, on: date | None = None) -> tuple[ConsentNeed, ...]:
    """The forms this patient needs on `on` (by category and age that day) and the latest
    signature of each, if any."""
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
            .where(ConsentSignatureRow.patient_id == patient_id)
            .order_by(ConsentSignatureRow.signed_on)
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
        assert draft.signed_on is not None
        signature = sign(
            session,
            ctx,
            password,
            CONSENT_MEANING,
            patient.mrn,
            draft.form,
            draft.template_version,
            draft.signed_on,
            draft.guardian_name.strip(),
            draft.guardian_relationship.strip(),
            draft.witness_name.strip(),
            draft.prescriber_name.strip(),
        )
        row = ConsentSignatureRow(
            patient_id=patient.id,
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
        )
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
                "form": row.form,
                "template_version": row.template_version,
                "signed_on": row.signed_on,
                "guardian_name": row.guardian_name,
                "witness_name": row.witness_name,
                "prescriber_name": row.prescriber_name,
                "signed_by": signature.printed_name,
                "meaning": signature.meaning,
                "signature_hash": row.signature_hash,
            },
        )
        return _record(row)
