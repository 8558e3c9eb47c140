"""Clinic PDF forms: admin-only and audited; a file must be a readable PDF under 20 MB; each
consent packet carries the active forms for the patient's category and age, in order, and
the print audit names them by title and sha256 (domain.md §5)."""

import hashlib
import json
import re
from datetime import date

import pytest
from sqlalchemy import select

from db.models import AuditEntry
from db.models.consent import PrintedDocumentRow
from desktop.rules.clinic_forms import ClinicFormAudience
from desktop.rules.patients import RiskCategory
from desktop.services.clinic_forms import (
    MAX_FORM_BYTES,
    ClinicFormDraft,
    add_clinic_form,
    list_clinic_forms,
    move_clinic_form,
    replace_clinic_form_pdf,
    retire_clinic_form,
)
from desktop.services.context import Context
from desktop.services.errors import NotAllowed, StaleEdit, ValidationFailed
from desktop.services.patients import register_patient
from desktop.services.printing import print_consent_packet
from tests.clinic_form_pdfs import form_pdf
from tests.conftest import patient_draft
from tests.documents.pdf_reading import page_texts, squash


def _add(ctx: Context, title: str, audience: ClinicFormAudience, pages: int = 1) -> int:
    draft = ClinicFormDraft(title, audience, form_pdf(title.upper(), pages), f"/home/x/{title}.pdf")
    return add_clinic_form(ctx, draft).id


def _audit(ctx: Context, action: str) -> list[dict[str, object]]:
    """The new values of each audit row of `action`."""
    with ctx.sessions.read() as session:
        rows = session.scalars(select(AuditEntry.new_values).where(AuditEntry.action == action))
        return [json.loads(row) for row in rows]


def _problem(error: pytest.ExceptionInfo[ValidationFailed], field: str) -> str:
    return next(p.message for p in error.value.problems if p.field == field)


@pytest.mark.parametrize("role", ["nurse", "prescriber"])
def test_only_an_administrator_adds_replaces_moves_or_retires_forms(
    role: str, admin_ctx: Context, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    ctx = nurse_ctx if role == "nurse" else prescriber_ctx
    form_id = _add(admin_ctx, "Agreement", ClinicFormAudience.ALL)
    with pytest.raises(NotAllowed):
        _add(ctx, "Sneaky", ClinicFormAudience.ALL)
    with pytest.raises(NotAllowed):
        replace_clinic_form_pdf(ctx, form_id, 1, form_pdf("X"))
    with pytest.raises(NotAllowed):
        move_clinic_form(ctx, form_id, 1, 1)
    with pytest.raises(NotAllowed):
        retire_clinic_form(ctx, form_id, 1)
    assert [f.title for f in list_clinic_forms(admin_ctx)] == ["Agreement"]


def test_adding_a_form_stores_the_file_and_audits_its_fingerprint(admin_ctx: Context) -> None:
    pdf = form_pdf("AGREEMENT", pages=2)
    record = add_clinic_form(
        admin_ctx,
        ClinicFormDraft(
            "  iPLEDGE agreement ", ClinicFormAudience.ALL, pdf, "C:\\Users\\ada\\a.pdf"
        ),
    )
    assert (record.title, record.pages, record.size_bytes) == ("iPLEDGE agreement", 2, len(pdf))
    assert record.sha256 == hashlib.sha256(pdf).hexdigest()
    assert record.file_name == "a.pdf"
    assert record.added_by_name == "Ada Admin"
    [new] = _audit(admin_ctx, "clinic_form.add")
    assert new["sha256"] == record.sha256
    assert "pdf" not in new


def test_a_file_that_is_not_a_pdf_is_refused_with_a_clear_message(admin_ctx: Context) -> None:
    draft = ClinicFormDraft("Form", ClinicFormAudience.ALL, b"%PDF-1.4 this is not really", "f.pdf")
    with pytest.raises(ValidationFailed) as error:
        add_clinic_form(admin_ctx, draft)
    assert "cannot be read as a PDF" in _problem(error, "pdf")
    assert list_clinic_forms(admin_ctx) == ()


def test_a_file_over_20_mb_is_refused_with_its_size(admin_ctx: Context) -> None:
    big = form_pdf("BIG") + b" " * MAX_FORM_BYTES
    with pytest.raises(ValidationFailed) as error:
        add_clinic_form(admin_ctx, ClinicFormDraft("Big", ClinicFormAudience.ALL, big))
    assert _problem(error, "pdf") == "The file is 20.0 MB; choose a PDF of at most 20 MB."


def test_missing_title_audience_and_file_are_each_named(admin_ctx: Context) -> None:
    with pytest.raises(ValidationFailed) as error:
        add_clinic_form(admin_ctx, ClinicFormDraft(" ", None, None))
    assert {p.field for p in error.value.problems} == {"title", "audience", "pdf"}


def test_reorder_replace_and_retire_are_audited_and_change_the_order(admin_ctx: Context) -> None:
    first = _add(admin_ctx, "First", ClinicFormAudience.ALL)
    second = _add(admin_ctx, "Second", ClinicFormAudience.ALL)
    order = move_clinic_form(admin_ctx, second, 1, -1)
    assert [f.title for f in order] == ["Second", "First"]
    with pytest.raises(StaleEdit):
        retire_clinic_form(admin_ctx, first, 1)
    replaced = replace_clinic_form_pdf(admin_ctx, first, 2, form_pdf("NEW FIRST", 3), "n.pdf")
    assert (replaced.pages, replaced.file_name) == (3, "n.pdf")
    retire_clinic_form(admin_ctx, second, 2)
    assert [f.title for f in list_clinic_forms(admin_ctx)] == ["First"]
    assert [f.is_retired for f in list_clinic_forms(admin_ctx, include_retired=True)] == [
        False,
        True,
    ]
    assert len(_audit(admin_ctx, "clinic_form.move")) == 2
    assert len(_audit(admin_ctx, "clinic_form.replace")) == 1
    assert len(_audit(admin_ctx, "clinic_form.retire")) == 1


def _marker_pages(pdf: bytes) -> list[str]:
    """The markers of the clinic-form pages, in packet order."""
    found = []
    for text in page_texts(pdf):
        for marker in ("ALL-FORM", "PREGNANT-FORM", "NOT-PREGNANT-FORM", "MINOR-FORM"):
            if f"{marker} page" in text and not (
                marker == "PREGNANT-FORM" and "NOT-PREGNANT-FORM page" in text
            ):
                found.append(marker)
    return found


@pytest.fixture
def four_forms(admin_ctx: Context) -> None:
    _add(admin_ctx, "Minor-form", ClinicFormAudience.MINORS)
    _add(admin_ctx, "All-form", ClinicFormAudience.ALL, pages=2)
    _add(admin_ctx, "Pregnant-form", ClinicFormAudience.CAN_GET_PREGNANT)
    _add(admin_ctx, "Not-pregnant-form", ClinicFormAudience.CANNOT_GET_PREGNANT)


MINOR = {
    "birth_date": date(2010, 6, 1),
    "guardian_name": "Mary Roe",
    "guardian_relationship": "Mother",
}


@pytest.mark.usefixtures("four_forms")
@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({}, ["ALL-FORM", "ALL-FORM", "PREGNANT-FORM"]),
        ({"risk_category": RiskCategory.CANNOT_GET_PREGNANT},
         ["ALL-FORM", "ALL-FORM", "NOT-PREGNANT-FORM"]),
        (MINOR, ["MINOR-FORM", "ALL-FORM", "ALL-FORM", "PREGNANT-FORM"]),
        ({"risk_category": None}, ["ALL-FORM", "ALL-FORM"]),
    ],
    ids=["can-get-pregnant", "cannot-get-pregnant", "minor", "no-category"],
)  # fmt: skip
def test_packet_carries_the_forms_for_the_patient_in_order_after_the_templates(
    nurse_ctx: Context, changes: dict[str, object], expected: list[str]
) -> None:
    patient = register_patient(nurse_ctx, patient_draft(**changes))
    printed = print_consent_packet(nurse_ctx, patient.id)
    assert _marker_pages(printed.pdf) == expected
    texts = page_texts(printed.pdf)
    first_form_page = next(i for i, t in enumerate(texts) if "-FORM page" in t)
    assert all("-FORM page" not in t for t in texts[:first_form_page])
    assert re.search(r" v2026\.\d+", texts[first_form_page - 1])  # the last template page
    cover = squash(texts[0])
    titles = {"ALL-FORM": "All-form", "PREGNANT-FORM": "Pregnant-form",
              "NOT-PREGNANT-FORM": "Not-pregnant-form", "MINOR-FORM": "Minor-form"}  # fmt: skip
    for marker in set(expected):
        assert squash(f"Clinic form: {titles[marker]}") in cover


def test_print_audit_names_each_form_by_title_and_sha256(
    admin_ctx: Context, nurse_ctx: Context
) -> None:
    _add(admin_ctx, "All-form", ClinicFormAudience.ALL)
    [form] = list_clinic_forms(admin_ctx)
    patient = register_patient(nurse_ctx, patient_draft())
    printed = print_consent_packet(nurse_ctx, patient.id)
    assert f"clinic form: All-form (sha256 {form.sha256})" in printed.template_versions
    with nurse_ctx.sessions.read() as session:
        row = session.scalars(select(PrintedDocumentRow)).one()
        assert form.sha256 in row.template_versions
    [new] = _audit(nurse_ctx, "document.prepare")
    assert new["clinic_forms"] == [{"title": "All-form", "sha256": form.sha256}]


def test_a_retired_form_is_no_longer_printed(admin_ctx: Context, nurse_ctx: Context) -> None:
    form_id = _add(admin_ctx, "All-form", ClinicFormAudience.ALL)
    retire_clinic_form(admin_ctx, form_id, 1)
    patient = register_patient(nurse_ctx, patient_draft())
    assert _marker_pages(print_consent_packet(nurse_ctx, patient.id).pdf) == []
