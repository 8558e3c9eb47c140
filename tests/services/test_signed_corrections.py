"""Signed records are corrected, never edited (issue 6, item 11): a correction voids the
signed consent or counselling confirmation with a reason and signs the corrected one, which
replaces it; a void alone withdraws one recorded in error. Both ask for the password again,
keep the old values readable, are audited with old and new values and the reason, and a
voided record no longer counts for the worklist."""

import json
from dataclasses import replace
from datetime import date

import pytest

from desktop.rules.consents import ConsentForm
from desktop.rules.ipledge import IpledgeStep
from desktop.rules.worklist import WorkKind
from desktop.services.consents import (
    ConsentDraft,
    consent_needs,
    consent_signatures,
    correct_consent_signature,
    record_consent_signature,
    void_consent_signature,
)
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.course_overview import get_course_overview
from desktop.services.course_records import CourseRecord
from desktop.services.course_transfer import export_course, import_course
from desktop.services.errors import AuthenticationFailed, NotAllowed, StaleEdit, ValidationFailed
from desktop.services.ipledge_steps import (
    confirm_counseling,
    correct_counseling_confirmation,
    void_counseling_confirmation,
)
from desktop.services.patients import patient_history, register_patient
from desktop.services.records import AuditRecord
from desktop.services.roles import Role
from desktop.services.signatures import CONSENT_CORRECTION_MEANING, VOID_MEANING
from desktop.services.staff import StaffDraft, add_staff, sign_in
from desktop.services.worklist import load_worklist
from tests.conftest import PASSWORD, patient_draft
from tests.services.test_course_transfer import COURSE
from tests.services.test_courses import course_draft

WRONG_DAY = date(2026, 11, 19)
RIGHT_DAY = date(2026, 11, 18)


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    patient = register_patient(nurse_ctx, patient_draft())
    return start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))


def _draft(patient_id: int, **changes: object) -> ConsentDraft:
    draft = ConsentDraft(
        patient_id, ConsentForm.INFORMED_CONSENT, "2026.1", WRONG_DAY, "Dr Priya Park"
    )
    return replace(draft, **changes)  # type: ignore[arg-type]


def _changes(entry: AuditRecord) -> dict[str, tuple[str, str]]:
    return {c.field: (c.old, c.new) for c in entry.changes}


def _missing_consents(ctx: Context) -> int:
    return sum(r.kind is WorkKind.CONSENT_MISSING for r in load_worklist(ctx).rows)


# Consents


def test_a_correction_voids_the_signature_and_signs_a_new_one_that_replaces_it(
    nurse_ctx: Context, course: CourseRecord
) -> None:
    patient_id = course.patient_id
    old = record_consent_signature(nurse_ctx, _draft(patient_id), PASSWORD)
    reason = "Signed date typed wrong: the form says 18 Nov"

    new = correct_consent_signature(
        nurse_ctx, old.id, _draft(patient_id, signed_on=RIGHT_DAY), reason, PASSWORD
    )

    assert (new.replaces_id, new.signed_on, new.voided) == (old.id, RIGHT_DAY, None)
    assert len(new.signature_hash) == 64
    assert new.signature_hash != old.signature_hash
    listed = consent_signatures(nurse_ctx, patient_id)
    assert [r.id for r in listed] == [new.id, old.id]
    kept = listed[1]
    assert kept.signed_on == WRONG_DAY  # the old values stay readable
    assert kept.signature_hash == old.signature_hash
    assert kept.replaced_by_id == new.id
    assert kept.voided is not None
    assert (kept.voided.reason, kept.voided.voided_by_name) == (reason, "Nina Nurse")
    assert kept.voided.voided_at == nurse_ctx.now()
    assert not kept.counts
    assert consent_needs(nurse_ctx, patient_id)[0].signed == listed[0]

    corrected, voided = patient_history(nurse_ctx, patient_id)[:2]
    assert (corrected.action, corrected.entity_id, corrected.reason) == (
        "consent.correct",
        new.id,
        reason,
    )
    changed = _changes(corrected)
    assert changed["signed_on"] == ("2026-11-19", "2026-11-18")
    assert changed["signature_id"] == (str(old.id), str(new.id))
    assert changed["signature_hash"] == (old.signature_hash, new.signature_hash)
    assert changed["meaning"] == ("", CONSENT_CORRECTION_MEANING)
    assert changed["replaces"] == ("", str(old.id))
    assert changed["form"] == ("informed-consent", "informed-consent")
    assert (voided.action, voided.entity_id, voided.reason) == ("consent.void", old.id, reason)
    assert _changes(voided)["status"] == ("signed", "voided")
    assert _changes(voided)["replaced_by"] == ("", str(new.id))
    assert _changes(voided)["meaning"] == ("", VOID_MEANING)


def test_a_wrong_password_saves_nothing(nurse_ctx: Context, course: CourseRecord) -> None:
    patient_id = course.patient_id
    old = record_consent_signature(nurse_ctx, _draft(patient_id), PASSWORD)
    before = (consent_signatures(nurse_ctx, patient_id), patient_history(nurse_ctx, patient_id))
    corrected = _draft(patient_id, signed_on=RIGHT_DAY)

    with pytest.raises(AuthenticationFailed):
        correct_consent_signature(nurse_ctx, old.id, corrected, "Wrong date", "not it")
    with pytest.raises(AuthenticationFailed):
        void_consent_signature(nurse_ctx, old.id, "Wrong patient", "not it")

    after = (consent_signatures(nurse_ctx, patient_id), patient_history(nurse_ctx, patient_id))
    assert after == before


def test_a_correction_needs_a_reason_and_something_to_correct(
    nurse_ctx: Context, course: CourseRecord
) -> None:
    old = record_consent_signature(nurse_ctx, _draft(course.patient_id), PASSWORD)
    corrected = _draft(course.patient_id, signed_on=RIGHT_DAY)
    for reason in ("", "   "):
        with pytest.raises(ValidationFailed) as refused:
            correct_consent_signature(nurse_ctx, old.id, corrected, reason, PASSWORD)
        assert [p.field for p in refused.value.problems] == ["reason"]
        with pytest.raises(ValidationFailed):
            void_consent_signature(nurse_ctx, old.id, reason, PASSWORD)
    with pytest.raises(ValidationFailed) as refused:
        correct_consent_signature(
            nurse_ctx, old.id, _draft(course.patient_id), "Checked again", PASSWORD
        )
    assert refused.value.problems[0].message.startswith("Nothing differs")
    other_form = _draft(course.patient_id, form=ConsentForm.PREGNANCY_PREVENTION)
    with pytest.raises(ValidationFailed) as refused:
        correct_consent_signature(nurse_ctx, old.id, other_form, "Wrong form", PASSWORD)
    assert refused.value.problems[0].field == "form"
    # The corrected values are checked as a new signature's are.
    future = _draft(course.patient_id, signed_on=date(2026, 12, 1))
    with pytest.raises(ValidationFailed) as refused:
        correct_consent_signature(nurse_ctx, old.id, future, "Wrong date", PASSWORD)
    assert refused.value.problems[0].field == "signed_on"
    assert [r.counts for r in consent_signatures(nurse_ctx, course.patient_id)] == [True]


def test_a_voided_consent_is_missing_again_on_the_worklist(
    nurse_ctx: Context, course: CourseRecord
) -> None:
    assert _missing_consents(nurse_ctx) == 3
    signed = record_consent_signature(nurse_ctx, _draft(course.patient_id), PASSWORD)
    assert _missing_consents(nurse_ctx) == 2

    reason = "Recorded for the wrong patient"
    voided = void_consent_signature(nurse_ctx, signed.id, reason, PASSWORD)

    assert voided.voided is not None
    assert voided.replaced_by_id is None
    assert _missing_consents(nurse_ctx) == 3
    assert consent_needs(nurse_ctx, course.patient_id)[0].signed is None
    entry = patient_history(nurse_ctx, course.patient_id)[0]
    assert (entry.action, entry.reason) == ("consent.void", reason)
    # Still on file, with what it said.
    (kept,) = consent_signatures(nurse_ctx, course.patient_id)
    assert (kept.id, kept.signed_on, kept.counts) == (signed.id, WRONG_DAY, False)


def test_a_signature_voided_elsewhere_cannot_be_voided_or_corrected_again(
    nurse_ctx: Context, prescriber_ctx: Context, course: CourseRecord
) -> None:
    signed = record_consent_signature(nurse_ctx, _draft(course.patient_id), PASSWORD)
    void_consent_signature(nurse_ctx, signed.id, "Wrong patient", PASSWORD)
    corrected = _draft(course.patient_id, signed_on=RIGHT_DAY)
    expected = "voided by Nina Nurse at 2026-11-20 10:30 EST after you opened it"
    with pytest.raises(StaleEdit, match=expected):
        correct_consent_signature(prescriber_ctx, signed.id, corrected, "Wrong day", PASSWORD)
    with pytest.raises(StaleEdit, match=expected):
        void_consent_signature(prescriber_ctx, signed.id, "Wrong day", PASSWORD)
    assert len(consent_signatures(nurse_ctx, course.patient_id)) == 1


def test_a_voided_imported_consent_leaves_the_course_export(
    nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    consents = [{"form": "informed-consent", "signed_date": "2026-06-01"}]
    import_course(nurse_ctx, patient.mrn, json.dumps({**COURSE, "consents": consents}), "drpark")
    (signed,) = consent_signatures(nurse_ctx, patient.id)
    reason = "Never signed: the scan was of a blank form"
    void_consent_signature(nurse_ctx, signed.id, reason, PASSWORD)
    assert "consents" not in export_course(nurse_ctx.clinic, patient.mrn)


# Counselling confirmations


def test_a_counseling_correction_moves_the_day_and_keeps_the_old_one_voided(
    prescriber_ctx: Context, course: CourseRecord
) -> None:
    old_id = confirm_counseling(prescriber_ctx, course.id, WRONG_DAY, PASSWORD)
    reason = "Counselled on the 18th; confirmed a day late by mistake"

    new_id = correct_counseling_confirmation(
        prescriber_ctx, old_id, course.id, RIGHT_DAY, reason, PASSWORD
    )

    overview = get_course_overview(prescriber_ctx, course.id)
    old, new = overview.counseling_confirmations  # by day, newest first
    assert (new.id, new.confirmed_on, new.replaces_id, new.counts) == (
        new_id,
        RIGHT_DAY,
        old_id,
        True,
    )
    assert (old.id, old.confirmed_on, old.replaced_by_id, old.counts) == (
        old_id,
        WRONG_DAY,
        new_id,
        False,
    )
    assert old.voided is not None
    assert (old.voided.reason, old.voided.voided_by_name) == (reason, "Dr Priya Park")
    assert new.prescriber_name == old.prescriber_name == "Dr Priya Park"
    assert new.signature_hash != old.signature_hash
    assert overview.facts is not None
    assert overview.facts.counseling_confirmations == (RIGHT_DAY,)
    corrected, voided = patient_history(prescriber_ctx, course.patient_id)[:2]
    assert (corrected.action, corrected.reason) == ("counseling.correct", reason)
    assert _changes(corrected)["confirmed_on"] == ("2026-11-19", "2026-11-18")
    assert _changes(corrected)["replaces"] == ("", str(old_id))
    assert (voided.action, voided.entity_id, voided.reason) == ("counseling.void", old_id, reason)
    assert _changes(voided)["status"] == ("signed", "voided")


def test_a_voided_counseling_confirmation_no_longer_satisfies_the_step(
    prescriber_ctx: Context, course: CourseRecord
) -> None:
    def to_do() -> tuple[IpledgeStep, ...]:
        cycle = get_course_overview(prescriber_ctx, course.id).cycle
        assert cycle is not None
        return cycle.steps_to_do

    confirmation = confirm_counseling(prescriber_ctx, course.id, RIGHT_DAY, PASSWORD)
    assert IpledgeStep.COUNSELING_CONFIRMATION not in to_do()

    void_counseling_confirmation(
        prescriber_ctx, confirmation, "Recorded on the wrong patient's chart", PASSWORD
    )

    assert IpledgeStep.COUNSELING_CONFIRMATION in to_do()
    (kept,) = get_course_overview(prescriber_ctx, course.id).counseling_confirmations
    assert kept.voided is not None
    assert kept.confirmed_on == RIGHT_DAY


def test_a_nurse_cannot_void_or_correct_a_counseling_confirmation(
    nurse_ctx: Context, prescriber_ctx: Context, course: CourseRecord
) -> None:
    confirmation = confirm_counseling(prescriber_ctx, course.id, WRONG_DAY, PASSWORD)
    before = patient_history(nurse_ctx, course.patient_id)
    with pytest.raises(NotAllowed, match="Only a prescriber"):
        correct_counseling_confirmation(
            nurse_ctx, confirmation, course.id, RIGHT_DAY, "Wrong day", PASSWORD
        )
    with pytest.raises(NotAllowed, match="Only a prescriber"):
        void_counseling_confirmation(nurse_ctx, confirmation, "Wrong day", PASSWORD)
    assert patient_history(nurse_ctx, course.patient_id) == before
    assert get_course_overview(nurse_ctx, course.id).counseling_confirmations[0].counts


def test_only_the_prescriber_who_signed_can_sign_the_correction(
    admin_ctx: Context, prescriber_ctx: Context, course: CourseRecord
) -> None:
    confirmation = confirm_counseling(prescriber_ctx, course.id, WRONG_DAY, PASSWORD)
    add_staff(admin_ctx, StaffDraft("drlee", "Dr Sam Lee", Role.PRESCRIBER, PASSWORD))
    other = sign_in(admin_ctx.clinic, "drlee", PASSWORD)
    with pytest.raises(NotAllowed, match="Dr Priya Park signed this confirmation"):
        correct_counseling_confirmation(
            other, confirmation, course.id, RIGHT_DAY, "Wrong day", PASSWORD
        )
    # Another prescriber may still withdraw it, signing the void as themselves.
    voided = void_counseling_confirmation(other, confirmation, "Not counselled", PASSWORD)
    assert voided.voided is not None
    assert voided.voided.voided_by_name == "Dr Sam Lee"


def test_a_counseling_correction_is_checked_and_a_wrong_password_saves_nothing(
    nurse_ctx: Context, prescriber_ctx: Context, course: CourseRecord
) -> None:
    confirmation = confirm_counseling(prescriber_ctx, course.id, WRONG_DAY, PASSWORD)
    other_patient = register_patient(nurse_ctx, patient_draft(mrn="MRN-2002"))
    other_course = start_course(nurse_ctx, course_draft(nurse_ctx, other_patient.id))
    before = patient_history(nurse_ctx, course.patient_id)

    def refused(course_id: int, day: date, reason: str) -> list[str]:
        with pytest.raises(ValidationFailed) as caught:
            correct_counseling_confirmation(
                prescriber_ctx, confirmation, course_id, day, reason, PASSWORD
            )
        return [p.field for p in caught.value.problems]

    assert refused(other_course.id, RIGHT_DAY, "Wrong course") == ["course"]
    assert refused(course.id, RIGHT_DAY, " ") == ["reason"]
    assert refused(course.id, WRONG_DAY, "No change") == ["reason"]
    assert refused(course.id, date(2026, 12, 1), "Future") == ["confirmed_on"]
    with pytest.raises(AuthenticationFailed):
        correct_counseling_confirmation(
            prescriber_ctx, confirmation, course.id, RIGHT_DAY, "Wrong day", "not it"
        )
    with pytest.raises(AuthenticationFailed):
        void_counseling_confirmation(prescriber_ctx, confirmation, "Wrong day", "not it")
    assert patient_history(nurse_ctx, course.patient_id) == before
    (still,) = get_course_overview(nurse_ctx, course.id).counseling_confirmations
    assert (still.id, still.counts) == (confirmation, True)


def test_a_counseling_confirmation_voided_elsewhere_is_refused_naming_who(
    prescriber_ctx: Context, course: CourseRecord
) -> None:
    confirmation = confirm_counseling(prescriber_ctx, course.id, WRONG_DAY, PASSWORD)
    void_counseling_confirmation(prescriber_ctx, confirmation, "In error", PASSWORD)
    with pytest.raises(StaleEdit, match="voided by Dr Priya Park at 2026-11-20 10:30 EST"):
        correct_counseling_confirmation(
            prescriber_ctx, confirmation, course.id, RIGHT_DAY, "Wrong day", PASSWORD
        )
