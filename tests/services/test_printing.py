"""Printing through the service: the right forms for each category and age, the patient band
and "Page X of Y" on every page, the print recorded with its template versions and audited."""

import re
from dataclasses import dataclass, replace
from datetime import UTC, date, timedelta

import pytest
from sqlalchemy import select

from db.models import AuditEntry, VisitRow
from db.models.consent import PrintedDocumentRow
from desktop.documents.dose_wording import signed_time
from desktop.rules.consents import ConsentForm
from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.counseling_topics import CounselingTopic
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestMethod,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
)
from desktop.rules.side_effects import EffectSeverity, ReportedEffect, SideEffect
from desktop.services.catalog.consent_templates import consent_template_versions
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.follow_ups import FollowUpDraft, record_follow_up
from desktop.services.ipledge_steps import record_contraception, record_pregnancy_test
from desktop.services.patients import register_patient
from desktop.services.printing import (
    Audience,
    DocumentKind,
    print_consent_packet,
    print_visit_summary,
    record_documents_printed,
    record_documents_saved,
    todays_visit_patients,
)
from desktop.services.visits import record_visit
from tests.conftest import patient_draft
from tests.documents.pdf_reading import page_texts, squash
from tests.printing_setup import visit_draft
from tests.services.test_courses import course_draft

MINOR = {
    "mrn": "MRN-2002",
    "legal_name": "Anaïs-Éléonore Kowalczyk-Nguyễn de la Cruz Ñúñez",
    "birth_date": date(2010, 6, 1),
    "guardian_name": "Mary O'Brien",
    "guardian_relationship": "Mother",
}
ADULT_CANNOT = {
    "mrn": "MRN-3003",
    "legal_name": "Oscar Lindqvist",
    "risk_category": RiskCategory.CANNOT_GET_PREGNANT,
}


def _latest(form: ConsentForm) -> str:
    return f"{form.value} v{consent_template_versions(form)[-1]}"


def _band_on_every_page(pdf: bytes, name: str, mrn: str) -> list[str]:
    texts = page_texts(pdf)
    total = len(texts)
    for number, text in enumerate(texts, start=1):
        flat = squash(text)
        assert squash(name) in flat, f"name missing on page {number}"
        assert squash(mrn) in flat, f"MRN missing on page {number}"
        assert f"Page{number}of{total}" in flat, f"page number wrong on page {number}"
    return texts


def test_minor_who_can_get_pregnant_gets_three_forms_with_guardian_lines(
    nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft(**MINOR))
    start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    printed = print_consent_packet(nurse_ctx, patient.id)
    assert printed.kind is DocumentKind.CONSENT_PACKET
    assert printed.template_versions == tuple(
        _latest(f)
        for f in (
            ConsentForm.INFORMED_CONSENT,
            ConsentForm.PREGNANCY_PREVENTION,
            ConsentForm.CONTRACEPTION_COUNSELING,
        )
    )
    texts = _band_on_every_page(printed.pdf, MINOR["legal_name"], "MRN-2002")  # type: ignore[arg-type]
    assert printed.pages == len(texts) >= 4
    whole = squash(" ".join(texts))
    for label in printed.template_versions:
        assert squash(label) in whole
    assert "Parentorlegalguardian" in whole
    assert "MaryO'Brien" in whole
    assert "DrPriyaPark" in whole
    assert "iPLEDGE" in whole
    assert printed.file_name == "consent-packet_MRN-2002_2026-11-20.pdf"


def test_adult_who_cannot_get_pregnant_gets_informed_consent_only(nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft(**ADULT_CANNOT))
    printed = print_consent_packet(nurse_ctx, patient.id)
    assert printed.template_versions == (_latest(ConsentForm.INFORMED_CONSENT),)
    whole = squash(" ".join(_band_on_every_page(printed.pdf, "Oscar Lindqvist", "MRN-3003")))
    assert "pregnancy-prevention" not in whole
    assert "Parentorlegalguardian" not in whole
    assert "Prescriber—" in whole  # no course yet: prescriber and product left open
    assert "Printedname:—" not in whole  # the prescriber's signature gets a line to print on
    assert "Printedname:______" in whole
    assert (
        squash(
            "Baseline labs ordered: fasting lipid profile (no alcohol for 36 hours before) and "
            "liver function tests."
        )
        in whole
    )


def test_every_document_built_is_recorded_and_audited_as_prepared(nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft(**ADULT_CANNOT))
    printed = print_consent_packet(nurse_ctx, patient.id)
    with nurse_ctx.sessions.read() as session:
        row = session.scalars(select(PrintedDocumentRow)).one()
        entry = session.scalars(
            select(AuditEntry).where(AuditEntry.action.startswith("document."))
        ).one()
        assert entry.action == "document.prepare"  # built only: not printed, not saved
        assert printed.document_id == row.id
        assert (row.patient_id, row.kind, row.pages, row.sha256, row.printed_by_name) == (
            patient.id,
            "consent-packet",
            printed.pages,
            printed.sha256,
            "Nina Nurse",
        )
        assert row.template_versions == _latest(ConsentForm.INFORMED_CONSENT)
        assert entry.patient_id == patient.id
        assert entry.entity_id == row.id
        assert _latest(ConsentForm.INFORMED_CONSENT) in entry.new_values
        assert entry.actor_name == "Nina Nurse"


@pytest.fixture
def visited(nurse_ctx: Context, prescriber_ctx: Context) -> int:
    patient = register_patient(nurse_ctx, patient_draft())
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    record_contraception(
        nurse_ctx,
        course.id,
        ContraceptionPeriod(date(2026, 10, 1), ContraceptionMethod.IUD, ContraceptionMethod.CONDOM),
    )
    record_pregnancy_test(
        nurse_ctx,
        course.id,
        PregnancyTest(
            PregnancyTestPurpose.CONFIRMATION,
            date(2026, 11, 1),
            PregnancyTestResult.NEGATIVE,
            PregnancyTestSetting.MEDICAL,
            PregnancyTestMethod.URINE,
        ),
    )
    record_visit(
        nurse_ctx,
        visit_draft(
            course,
            side_effects=(ReportedEffect(SideEffect.DRY_LIPS, EffectSeverity.MILD),),
            counseling_topics=(CounselingTopic.NO_BLOOD_DONATION,),
            notes='Lip balm <3 & "coping"',
            next_visit_on=date(2026, 12, 18),
        ),
    )
    return patient.id


def test_patient_summary_says_the_dose_in_plain_words_with_a_meal(
    nurse_ctx: Context, visited: int
) -> None:
    printed = print_visit_summary(nurse_ctx, visited, audience=Audience.PATIENT)
    assert printed.kind is DocumentKind.VISIT_SUMMARY_PATIENT
    texts = _band_on_every_page(printed.pdf, "Zoë O'Brien-Núñez", "MRN-1001")
    whole = " ".join(" ".join(t.split()) for t in texts)
    assert "capsule" in whole
    assert re.search(r"with a\s+meal", whole)
    assert "Dec 18, 2026" in whole or "2026-12-18" in whole or "18" in whole


def test_chart_copy_holds_the_cumulative_table_and_signatures(
    nurse_ctx: Context, visited: int
) -> None:
    printed = print_visit_summary(
        nurse_ctx, visited, visit_on=date(2026, 11, 20), audience=Audience.CHART
    )
    whole = squash(" ".join(_band_on_every_page(printed.pdf, "Zoë O'Brien-Núñez", "MRN-1001")))
    assert "Nov2026" in whole or "November2026" in whole
    assert 'Lipbalm<3&"coping"' in whole
    assert "DrPriyaPark" in whole
    assert "NinaNurse" in whole
    assert "Intrauterinedevice(IUD)" in whole


def test_clear_errors_for_no_course_and_no_visit(nurse_ctx: Context, visited: int) -> None:
    with pytest.raises(NotFound, match="no visit on 2026-11-19"):
        print_visit_summary(nurse_ctx, visited, visit_on=date(2026, 11, 19))
    fresh = register_patient(nurse_ctx, patient_draft(mrn="MRN-9"))
    with pytest.raises(ValidationFailed, match="no course yet"):
        print_visit_summary(nurse_ctx, fresh.id)


def test_todays_visit_patients_lists_who_was_seen_today(nurse_ctx: Context, visited: int) -> None:
    found = todays_visit_patients(nurse_ctx)
    assert [(p.patient_id, p.mrn) for p in found] == [(visited, "MRN-1001")]


@dataclass(frozen=True)
class _Entry:
    action: str
    entity: str
    entity_id: int | None
    patient_id: int | None
    actor_name: str
    new_values: str


def _document_entries(ctx: Context) -> list[_Entry]:
    with ctx.sessions.read() as session:
        entries = session.scalars(
            select(AuditEntry)
            .where(AuditEntry.action.startswith("document."))
            .order_by(AuditEntry.seq)
        )
        return [
            _Entry(e.action, e.entity, e.entity_id, e.patient_id, e.actor_name, e.new_values)
            for e in entries
        ]


def test_printing_and_saving_are_audited_apart_from_preparing(nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft(**ADULT_CANNOT))
    first = print_consent_packet(nurse_ctx, patient.id)
    second = print_consent_packet(nurse_ctx, patient.id)
    record_documents_printed(nurse_ctx, [first, second], printer="Front desk laser")
    record_documents_saved(nurse_ctx, [second])
    entries = _document_entries(nurse_ctx)
    assert [(e.action, e.entity_id) for e in entries] == [
        ("document.prepare", first.document_id),
        ("document.prepare", second.document_id),
        ("document.printed", first.document_id),
        ("document.printed", second.document_id),
        ("document.saved", second.document_id),
    ]
    for entry in entries[2:]:
        assert entry.entity == "printed_document"
        assert entry.patient_id == patient.id
        assert entry.actor_name == "Nina Nurse"
        assert first.sha256 in entry.new_values or second.sha256 in entry.new_values
        assert "Oscar" not in entry.new_values
        assert "MRN-3003" not in entry.new_values
    assert "Front desk laser" in entries[2].new_values


def test_an_outcome_for_a_document_not_on_record_is_refused(nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft(**ADULT_CANNOT))
    printed = print_consent_packet(nurse_ctx, patient.id)
    ghost = replace(printed, document_id=printed.document_id + 99)
    with pytest.raises(NotFound, match="no longer on record"):
        record_documents_printed(nurse_ctx, [printed, ghost])
    assert [e.action for e in _document_entries(nurse_ctx)] == ["document.prepare"]


@pytest.mark.usefixtures("prescriber_ctx")
def test_chart_copy_holds_missed_days_dose_decision_notes_and_the_time_first_recorded(
    nurse_ctx: Context,
) -> None:
    patient = register_patient(nurse_ctx, patient_draft(mrn="MRN-5005"))
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    visit = record_visit(
        nurse_ctx,
        visit_draft(
            course,
            missed_days=(date(2026, 11, 3), date(2026, 11, 9)),
            side_effects=(
                ReportedEffect(SideEffect.DRY_LIPS, EffectSeverity.MILD),
                ReportedEffect(SideEffect.SEVERE_RASH, EffectSeverity.MODERATE),
                ReportedEffect(SideEffect.HEADACHE, EffectSeverity.SEVERE),
            ),
        ),
    )
    with nurse_ctx.sessions.write() as session:  # corrected two days later
        row = session.get_one(VisitRow, visit.id)
        created_at = row.created_at
        row.updated_at = created_at + timedelta(days=2, hours=3)
    printed = print_visit_summary(nurse_ctx, patient.id, audience=Audience.CHART)
    whole = squash(" ".join(page_texts(printed.pdf)))
    assert squash("2 days without a dose, reported at this visit") in whole
    assert squash("Dose decisioncontinue current dose") in whole
    assert squash("Stop-and-call symptom: tell the prescriber today.") in whole
    assert squash("Reported as severe: tell the prescriber today.") in whole
    assert squash("Reminders given (patient copy)") in whole
    recorded = created_at.replace(tzinfo=UTC).astimezone(nurse_ctx.time_zone)
    assert squash(f"Recorded byNina Nurse{signed_time(recorded)}") in whole


def test_chart_copy_says_whether_the_same_day_follow_up_was_done(
    nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    """domain.md §4.1, §4.2: a visit that called for one says so under Needs attention, first
    as not done, then with the day, who and what; a quiet visit says nothing of it."""
    patient = register_patient(nurse_ctx, patient_draft(mrn="MRN-6006"))
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    jaundice = ReportedEffect(SideEffect.DARK_URINE_OR_JAUNDICE, EffectSeverity.MODERATE)
    visit = record_visit(nurse_ctx, visit_draft(course, side_effects=(jaundice,)))

    def chart_copy() -> str:
        printed = print_visit_summary(nurse_ctx, patient.id, audience=Audience.CHART)
        return squash(" ".join(page_texts(printed.pdf)))

    assert squash("Same-day follow-up: not recorded as done.") in chart_copy()
    outcome = "Prescriber phoned; liver tests drawn the same day."
    record_follow_up(nurse_ctx, FollowUpDraft(visit.id, visit.seen_on, outcome))
    done = chart_copy()
    assert squash(f"Same-day follow-up done Nov 20, 2026 by Nina Nurse: {outcome}") in done
    assert "notrecordedasdone" not in done
    quiet = register_patient(nurse_ctx, patient_draft(mrn="MRN-7007"))
    quiet_course = start_course(nurse_ctx, course_draft(nurse_ctx, quiet.id))
    record_visit(nurse_ctx, visit_draft(quiet_course))
    printed = print_visit_summary(nurse_ctx, quiet.id, audience=Audience.CHART)
    assert "Same-dayfollow-up" not in squash(" ".join(page_texts(printed.pdf)))
