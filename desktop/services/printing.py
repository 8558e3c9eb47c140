"""Printing: the consent packet and the visit summary as PDF bytes, and what became of them.

Building a document (to preview it, or as part of a batch) writes a `PrintedDocumentRow` and
a "document.prepare" audit entry (who prepared which document, with which template versions,
for whom) in one unit of work; the row's `printed_at` is when it was prepared. Only when the
nurse has sent it to a printer (the print dialog accepted, every page sent) or written it
to a file does `record_documents_printed` or `record_documents_saved` add a
"document.printed" or "document.saved" entry naming the document and the patient by id.
A cancelled print dialog or a batch built and never printed leaves only "prepared". The UI
previews, prints and saves the bytes; it never builds a PDF itself.
"""

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from functools import cache
from io import BytesIO

from pypdf import PdfReader
from sqlalchemy import select

from db.audit import append_audit_entry
from db.models import Course, Patient, StaffUser, VisitRow
from db.models.consent import PrintedDocumentRow
from desktop.documents.consent_packet import build_consent_packet
from desktop.documents.data import (
    ClinicAttachment,
    ConsentPacketData,
    ConsentTemplate,
    DocumentAssets,
    Guardian,
    PatientBand,
)
from desktop.documents.visit_summary import Audience, build_visit_summary
from desktop.rules.ages import is_minor_on
from desktop.rules.labs import PANEL_LABELS, LabPanel
from desktop.rules.patients import RISK_CATEGORY_LABELS, RiskCategory
from desktop.rules.worklist_items import WorkKind
from desktop.services.catalog.consent_templates import load_document_assets
from desktop.services.catalog.formulary import load_formulary
from desktop.services.clinic_forms import PacketForm, forms_for_packet
from desktop.services.consent_template_versions import load_template
from desktop.services.consents import consent_needs
from desktop.services.context import Context
from desktop.services.errors import NotFound
from desktop.services.printing_heading import letterhead, load_patient, patient_band
from desktop.services.printing_visit import visit_summary_data
from desktop.services.unit_of_work import unit_of_work
from desktop.services.worklist import load_worklist

__all__ = [
    "Audience",
    "DocumentKind",
    "PrintedDocument",
    "TodaysPatient",
    "print_consent_packet",
    "print_visit_summary",
    "record_documents_printed",
    "record_documents_saved",
    "todays_visit_patients",
]

NO_VALUE = "—"
BASELINE_PANELS = (LabPanel.LIPIDS, LabPanel.LFT)
"""Drawn before the first dose under every protocol (domain.md §3.1, §3.2); named with the
labels the Labs tab and the visit summary use, the fasting and alcohol rule included."""


class DocumentKind(StrEnum):
    CONSENT_PACKET = "consent-packet"
    VISIT_SUMMARY_PATIENT = "visit-summary-patient"
    VISIT_SUMMARY_CHART = "visit-summary-chart"


KIND_TITLES = {
    DocumentKind.CONSENT_PACKET: "Consent packet",
    DocumentKind.VISIT_SUMMARY_PATIENT: "Visit summary (patient copy)",
    DocumentKind.VISIT_SUMMARY_CHART: "Visit record (chart copy)",
}


@dataclass(frozen=True, slots=True)
class PrintedDocument:
    """A built document, recorded as prepared; `pdf` is what goes to the printer."""

    document_id: int
    """The `PrintedDocumentRow` it was recorded as: the audit names the document by it."""
    kind: DocumentKind
    title: str
    file_name: str
    """A suggestion for Save as…, e.g. `consent-packet_MRN-1001_2026-11-20.pdf`."""
    pdf: bytes
    pages: int
    template_versions: tuple[str, ...]
    sha256: str
    patient_id: int
    patient_name: str
    mrn: str


@dataclass(frozen=True, slots=True)
class TodaysPatient:
    patient_id: int
    name: str
    mrn: str


@cache
def document_assets() -> DocumentAssets:
    """Fonts and styles are read once per process."""
    return load_document_assets()


def print_consent_packet(
    ctx: Context,
    patient_id: int,
    *,
    include_witness: bool = False,
    attachments: Sequence[ClinicAttachment] = (),
) -> PrintedDocument:
    """The consent packet for the forms this patient needs today (by iPLEDGE category and age
    today), in the template versions in force today, then the clinic's own PDF forms for this
    patient in their order, then any `attachments`; recorded as prepared."""
    today = ctx.today()
    needs = consent_needs(ctx, patient_id, today)
    with ctx.sessions.read() as session:
        templates = tuple(load_template(session, need.form, need.latest_version) for need in needs)
        patient = load_patient(session, patient_id)
        clinic = letterhead(session)
        latest = session.execute(
            select(Course.product, StaffUser.display_name)
            .join(StaffUser, StaffUser.id == Course.prescriber_id)
            .where(Course.patient_id == patient_id)
            .order_by(Course.number.desc())
            .limit(1)
        ).first()
        band = patient_band(patient)
        category = RiskCategory(patient.risk_category) if patient.risk_category else None
        birth_date = patient.birth_date
        guardian_name, relationship = patient.guardian_name, patient.guardian_relationship
        minor = is_minor_on(birth_date, today)
        clinic_forms = forms_for_packet(session, category, is_minor=minor)
    product = NO_VALUE
    prescriber = ""  # no course yet: the form gets a line for the prescriber to print on
    if latest is not None:
        found = load_formulary().find(latest[0])
        product = found.display_name if found else latest[0]
        prescriber = latest[1] or ""
    data = ConsentPacketData(
        clinic=clinic,
        patient=band,
        prescriber_name=prescriber,
        product_name=product,
        category_wording=(
            RISK_CATEGORY_LABELS[category] if category else "Risk category not yet assigned"
        ),
        printed_on=today,
        templates=templates,
        is_minor=minor,
        guardian=(
            Guardian(guardian_name, relationship or "Parent or guardian")
            if minor and guardian_name.strip()
            else None
        ),
        checklist=_checklist(templates, category, minor),
        attachments=tuple(form.attachment for form in clinic_forms) + tuple(attachments),
        include_witness=include_witness,
    )
    pdf = build_consent_packet(data, document_assets())
    versions = (
        tuple(t.label for t in templates)
        + tuple(f"clinic form: {f.title} (sha256 {f.sha256})" for f in clinic_forms)
        + tuple(f"attachment: {a.title}" for a in attachments)
    )
    return _record_print(
        ctx, patient_id, band, DocumentKind.CONSENT_PACKET, pdf, versions, clinic_forms=clinic_forms
    )


def _checklist(
    templates: tuple[ConsentTemplate, ...], category: RiskCategory | None, minor: bool
) -> tuple[str, ...]:
    who = "the patient and the parent or guardian" if minor else "the patient"
    items = [
        f"{t.title} ({t.label}): {who} initial every statement and sign; the prescriber signs."
        for t in templates
    ]
    if minor:
        items.append("Check the parent's or guardian's identity and relationship to the patient.")
    items.append("Enrol the patient in iPLEDGE and note the iPLEDGE patient ID in the chart.")
    if category is RiskCategory.CAN_GET_PREGNANT:
        items.append(
            "Screening pregnancy test in a medical setting; record the two contraception "
            "methods (or abstinence) in the chart."
        )
    elif category is None:
        items.append("Ask the prescriber to assign the iPLEDGE risk category before enrolment.")
    baseline = " and ".join(PANEL_LABELS[panel] for panel in BASELINE_PANELS)
    items.append(f"Baseline labs ordered: {baseline}.")
    items.append("Give the Medication Guide and answer the patient's questions.")
    items.append("Record each signed form, with its version, in the Consents tab.")
    return tuple(items)


def print_visit_summary(
    ctx: Context,
    patient_id: int,
    *,
    visit_on: date | None = None,
    audience: Audience = Audience.PATIENT,
) -> PrintedDocument:
    """The summary of the visit on `visit_on` (default: the latest visit), for the patient in
    plain words or for the chart in full, recorded as prepared."""
    data = visit_summary_data(ctx, patient_id, visit_on=visit_on)
    pdf = build_visit_summary(data, document_assets(), audience=audience)
    kind = (
        DocumentKind.VISIT_SUMMARY_PATIENT
        if audience is Audience.PATIENT
        else DocumentKind.VISIT_SUMMARY_CHART
    )
    return _record_print(ctx, patient_id, data.patient, kind, pdf, (), visit_on=data.visit_on)


def page_count(pdf: bytes) -> int:
    return len(PdfReader(BytesIO(pdf)).pages)


def _record_print(
    ctx: Context,
    patient_id: int,
    band: PatientBand,
    kind: DocumentKind,
    pdf: bytes,
    versions: tuple[str, ...],
    *,
    visit_on: date | None = None,
    clinic_forms: Sequence[PacketForm] = (),
) -> PrintedDocument:
    pages = page_count(pdf)
    digest = hashlib.sha256(pdf).hexdigest()
    with unit_of_work(ctx) as session:
        row = PrintedDocumentRow(
            patient_id=patient_id,
            kind=kind.value,
            template_versions=", ".join(versions),
            pages=pages,
            sha256=digest,
            printed_at=ctx.now(),
            printed_by_name=ctx.actor.display_name,
        )
        session.add(row)
        session.flush()
        new: dict[str, object] = {
            "kind": kind.value,
            "template_versions": row.template_versions,
            "pages": pages,
            "sha256": digest,
        }
        if visit_on is not None:
            new["visit_on"] = visit_on.isoformat()
        if clinic_forms:
            new["clinic_forms"] = [{"title": f.title, "sha256": f.sha256} for f in clinic_forms]
        # Printing changes nothing clinical, so the worklist is not recomputed (the audit
        # helper in unit_of_work would do that for every patient it is given).
        append_audit_entry(
            session,
            ctx.audit_actor(),
            at=ctx.now(),
            action="document.prepare",
            entity="printed_document",
            entity_id=row.id,
            patient_id=patient_id,
            new=new,
        )
    day = (visit_on or ctx.today()).isoformat()
    return PrintedDocument(
        document_id=row.id,
        kind=kind,
        title=KIND_TITLES[kind],
        file_name=_file_name(f"{kind.value}_{band.mrn}_{day}"),
        pdf=pdf,
        pages=pages,
        template_versions=versions,
        sha256=digest,
        patient_id=patient_id,
        patient_name=band.name,
        mrn=band.mrn,
    )


def record_documents_printed(
    ctx: Context, documents: Sequence[PrintedDocument], *, printer: str = ""
) -> None:
    """The documents went to a printer: called once the print dialog was accepted and every
    page of them was sent (a print job cancelled part way sends nothing and records nothing).
    `printer` is the printer's name as the system gives it."""
    _record_outcome(ctx, documents, "document.printed", {"printer": printer} if printer else {})


def record_documents_saved(ctx: Context, documents: Sequence[PrintedDocument]) -> None:
    """The documents were written to files. The path is not recorded: a name typed into the
    save dialog may hold patient details, and the audit must not (domain.md §6 PHI)."""
    _record_outcome(ctx, documents, "document.saved", {})


def _record_outcome(
    ctx: Context,
    documents: Sequence[PrintedDocument],
    action: str,
    extra: dict[str, object],
) -> None:
    """One audit entry per document, all in one unit of work (one user action)."""
    with unit_of_work(ctx) as session:
        for document in documents:
            if session.get(PrintedDocumentRow, document.document_id) is None:
                raise NotFound("This document is no longer on record; print it again.")
            append_audit_entry(
                session,
                ctx.audit_actor(),
                at=ctx.now(),
                action=action,
                entity="printed_document",
                entity_id=document.document_id,
                patient_id=document.patient_id,
                new={
                    "kind": document.kind.value,
                    "pages": document.pages,
                    "sha256": document.sha256,
                    **extra,
                },
            )


def _file_name(stem: str) -> str:
    """Letters, digits, dot, dash and underscore only: safe on every file system."""
    safe = "".join(c if c.isascii() and (c.isalnum() or c in "._-") else "_" for c in stem)
    return f"{safe}.pdf"


def todays_visit_patients(ctx: Context) -> tuple[TodaysPatient, ...]:
    """Patients with a visit recorded today, then those whose visit is due today (worklist),
    each once, by name."""
    today = ctx.today()
    found: dict[int, TodaysPatient] = {}
    with ctx.sessions.read() as session:
        rows = session.execute(
            select(Patient.id, Patient.legal_name, Patient.mrn)
            .join(Course, Course.patient_id == Patient.id)
            .join(VisitRow, VisitRow.course_id == Course.id)
            .where(VisitRow.seen_on == today)
            .distinct()
        )
        for patient_id, name, mrn in rows:
            found[patient_id] = TodaysPatient(patient_id, name, mrn)
    for row in load_worklist(ctx, kinds=frozenset({WorkKind.VISIT})).rows:
        if row.due_on == today and row.patient_id not in found:
            found[row.patient_id] = TodaysPatient(row.patient_id, row.patient_name, row.mrn)
    return tuple(sorted(found.values(), key=lambda p: (p.name.casefold(), p.mrn)))
