"""Consent template versions added in the app: admin-only and audited, checked strictly,
merged with the shipped files (a later effective date wins), printed and signed in the
version in force (domain.md §5)."""

import json
import tomllib
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from db.models import AuditEntry
from desktop.documents.templates import parse_consent_template
from desktop.rules.consents import ConsentForm
from desktop.services.catalog.consent_templates import load_consent_template
from desktop.services.consent_template_versions import (
    ConsentTemplateVersionDraft,
    add_consent_template_version,
    consent_template_overview,
    signable_template_versions,
)
from desktop.services.consent_wording import wording_toml
from desktop.services.consents import ConsentDraft, consent_needs, record_consent_signature
from desktop.services.context import Context
from desktop.services.errors import NotAllowed, ValidationFailed
from desktop.services.patients import register_patient
from desktop.services.printing import print_consent_packet
from tests.conftest import PASSWORD, patient_draft
from tests.documents.pdf_reading import page_texts, squash

FORM = ConsentForm.INFORMED_CONSENT
TODAY = date(2026, 11, 20)


def _wording(extra_statement: str) -> str:
    shipped = load_consent_template(FORM)
    changed = replace(shipped, statements=(*shipped.statements, extra_statement))
    return wording_toml(changed)


def _draft(
    version: str = "2026.2", on: date = TODAY, statement: str = "New <b>rule</b> & more."
) -> ConsentTemplateVersionDraft:
    return ConsentTemplateVersionDraft(FORM, version, on, _wording(statement))


def _worded(wording: str) -> ConsentTemplateVersionDraft:
    return replace(_draft(), wording=wording)


def _problems(ctx: Context, draft: ConsentTemplateVersionDraft) -> dict[str, str]:
    with pytest.raises(ValidationFailed) as error:
        add_consent_template_version(ctx, draft)
    return {p.field: p.message for p in error.value.problems}


@pytest.mark.parametrize("form", list(ConsentForm))
def test_shipped_wording_round_trips_through_the_editable_toml(form: ConsentForm) -> None:
    shipped = load_consent_template(form)
    data = tomllib.loads(wording_toml(shipped))
    data.update(id=form.value, version=shipped.version, effective_on=shipped.effective_on)
    assert parse_consent_template(data) == shipped


@pytest.mark.parametrize("role", ["nurse", "prescriber"])
def test_only_an_administrator_adds_a_version(
    role: str, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    with pytest.raises(NotAllowed):
        add_consent_template_version(nurse_ctx if role == "nurse" else prescriber_ctx, _draft())


def test_a_version_in_force_today_is_printed_signed_and_audited(
    admin_ctx: Context, nurse_ctx: Context
) -> None:
    added = add_consent_template_version(admin_ctx, _draft())
    assert (added.version, added.is_shipped, added.added_by_name) == ("2026.2", False, "Ada Admin")
    with admin_ctx.sessions.read() as session:
        [new] = session.scalars(
            select(AuditEntry.new_values).where(AuditEntry.action == "consent_template.add_version")
        )
    assert json.loads(new)["version"] == "2026.2"
    patient = register_patient(nurse_ctx, patient_draft())
    [need, *_] = consent_needs(nurse_ctx, patient.id)
    assert need.latest_version == "2026.2"
    printed = print_consent_packet(nurse_ctx, patient.id)
    assert "informed-consent v2026.2" in printed.template_versions
    assert squash("New <b>rule</b> & more.") in squash("".join(page_texts(printed.pdf)))
    assert signable_template_versions(nurse_ctx, FORM)[-1] == "2026.2"
    draft = ConsentDraft(patient.id, FORM, "2026.2", TODAY, "Dr Priya Park")
    assert record_consent_signature(nurse_ctx, draft, PASSWORD).template_version == "2026.2"


def test_a_future_version_waits_for_its_date(admin_ctx: Context, nurse_ctx: Context) -> None:
    add_consent_template_version(admin_ctx, _draft(on=TODAY + timedelta(days=10)))
    patient = register_patient(nurse_ctx, patient_draft())
    assert consent_needs(nurse_ctx, patient.id)[0].latest_version == "2026.1"
    assert (
        consent_needs(nurse_ctx, patient.id, TODAY + timedelta(days=10))[0].latest_version
        == "2026.2"
    )
    assert (
        "informed-consent v2026.1" in print_consent_packet(nurse_ctx, patient.id).template_versions
    )
    assert "2026.2" not in signable_template_versions(nurse_ctx, FORM)
    draft = ConsentDraft(patient.id, FORM, "2026.2", TODAY, "Dr Priya Park")
    with pytest.raises(ValidationFailed):
        record_consent_signature(nurse_ctx, draft, PASSWORD)
    [summary] = [s for s in consent_template_overview(admin_ctx) if s.form is FORM]
    assert summary.current.version == "2026.1"
    assert [v.version for v in summary.versions] == ["2026.1", "2026.2"]


def test_overview_shows_the_added_wording_once_in_force(admin_ctx: Context) -> None:
    draft = _draft()
    add_consent_template_version(admin_ctx, draft)
    [summary] = [s for s in consent_template_overview(admin_ctx) if s.form is FORM]
    assert summary.current.version == "2026.2"
    assert summary.current_wording.strip() == draft.wording.strip()


@pytest.mark.parametrize(
    ("draft", "field", "words"),
    [
        (_draft(version="2026"), "version", "YEAR.REVISION"),
        (_draft(version="2026.1"), "version", "after 2026.1"),
        (_draft(on=TODAY - timedelta(days=1)), "effective_on", "today or later"),
        (replace(_draft(), effective_on=None), "effective_on", "Enter the date"),
        (replace(_draft(), wording='title = "x'), "wording", "not valid TOML"),
        (_worded('version = "2026.2"\n' + _wording("x")), "wording", "Remove the version"),
        (_worded(_wording("x").replace('"all"', '"can-get-pregnant"')), "wording",
         "applies_to must stay"),
        (_worded(_wording("x").replace("statements = [", "statement = [")), "wording",
         "unknown keys"),
        (replace(_draft(), form=None), "form", "Choose the consent form"),
    ],
    ids=["pattern", "not-newer", "past", "no-date", "toml", "version-line", "audience", "typo",
         "no-form"],
)  # fmt: skip
def test_a_bad_version_is_refused_beside_its_field(
    admin_ctx: Context, draft: ConsentTemplateVersionDraft, field: str, words: str
) -> None:
    assert words in _problems(admin_ctx, draft)[field]
