"""Consents: the forms a patient needs by category and age, and signing with a password."""

from datetime import date

import pytest

from desktop.rules.consents import ConsentForm, SignerRole
from desktop.rules.patients import RiskCategory
from desktop.services.consents import ConsentDraft, consent_needs, record_consent_signature
from desktop.services.context import Context
from desktop.services.errors import AuthenticationFailed, ValidationFailed
from desktop.services.patients import patient_history, register_patient
from tests.conftest import PASSWORD, patient_draft

MINOR = {
    "birth_date": date(2010, 6, 1),
    "guardian_name": "Mary O'Brien",
    "guardian_relationship": "Mother",
}


def test_a_minor_who_can_get_pregnant_needs_three_forms_with_a_guardian(nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft(**MINOR))
    needs = consent_needs(nurse_ctx, patient.id)
    assert [n.form for n in needs] == [
        ConsentForm.INFORMED_CONSENT,
        ConsentForm.PREGNANCY_PREVENTION,
        ConsentForm.CONTRACEPTION_COUNSELING,
    ]
    assert all(SignerRole.GUARDIAN in n.signers for n in needs)
    assert all(n.signed is None for n in needs)


def test_an_adult_who_cannot_get_pregnant_needs_one_form(nurse_ctx: Context) -> None:
    patient = register_patient(
        nurse_ctx, patient_draft(risk_category=RiskCategory.CANNOT_GET_PREGNANT)
    )
    needs = consent_needs(nurse_ctx, patient.id)
    assert [(n.form, n.signers) for n in needs] == [
        (ConsentForm.INFORMED_CONSENT, (SignerRole.PATIENT, SignerRole.PRESCRIBER))
    ]


def _draft(patient_id: int, **changes: object) -> ConsentDraft:
    fields: dict[str, object] = {
        "patient_id": patient_id,
        "form": ConsentForm.INFORMED_CONSENT,
        "template_version": "2026.1",
        "signed_on": date(2026, 11, 19),
        "prescriber_name": "Dr Priya Park",
    }
    fields.update(changes)
    return ConsentDraft(**fields)  # type: ignore[arg-type]


def test_signing_needs_the_password_and_records_version_and_hash(nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    with pytest.raises(AuthenticationFailed):
        record_consent_signature(nurse_ctx, _draft(patient.id), "wrong password")
    signed = record_consent_signature(nurse_ctx, _draft(patient.id), PASSWORD)
    assert (signed.template_version, signed.recorded_by_name) == ("2026.1", "Nina Nurse")
    entry = patient_history(nurse_ctx, patient.id)[0]
    values = {c.field: c.new for c in entry.changes}
    assert entry.action == "consent.sign"
    assert len(values["signature_hash"]) == 64
    assert consent_needs(nurse_ctx, patient.id)[0].signed == signed


def test_a_minor_signature_needs_the_guardian(nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft(**MINOR))
    with pytest.raises(ValidationFailed) as refused:
        record_consent_signature(nurse_ctx, _draft(patient.id), PASSWORD)
    assert refused.value.problems[0].field == "guardian_name"


def test_unknown_template_version_is_refused(nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    with pytest.raises(ValidationFailed) as refused:
        record_consent_signature(nurse_ctx, _draft(patient.id, template_version="1999.9"), PASSWORD)
    assert refused.value.problems[0].field == "template_version"
