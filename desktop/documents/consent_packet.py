"""The consent packet: cover sheet, each consent form to initial and sign, the clinic's forms."""

from typing import Any

from reportlab.platypus import KeepTogether, PageBreak, Paragraph, Spacer

from desktop.documents.attachments import merge_attachments, read_attachments, slot_story
from desktop.documents.data import ConsentPacketData, ConsentTemplate, DocumentAssets
from desktop.documents.markup import escape_markup
from desktop.documents.page import (
    PageDecorator,
    PageFrame,
    PdfMetadata,
    SectionLabel,
    data_table,
    format_date,
    render,
    text,
)
from desktop.documents.styles import PdfStyles, prepare_styles
from desktop.rules.ages import age_on
from desktop.rules.consents import SignerRole

TITLE = "Isotretinoin consent packet"
CHECKBOX = "☐"
SIGNER_CAPTIONS = {
    SignerRole.PATIENT: "Patient",
    SignerRole.GUARDIAN: "Parent or legal guardian",
    SignerRole.PRESCRIBER: "Prescriber",
    SignerRole.WITNESS: "Witness",
}
NUMBER_WIDTH = 28.0
INITIALS_WIDTH = 128.0
SIGNER_LABEL_WIDTH = 140.0
STATEMENTS_KEPT_WITH_SIGNATURES = 2
AUDIENCE_WORDING = {"all": "every patient", "can-get-pregnant": "patients who can get pregnant"}


def build_consent_packet(data: ConsentPacketData, assets: DocumentAssets) -> bytes:
    """The whole packet as one PDF. Every page, the clinic's attached forms included, carries
    the letterhead, the patient band and "Page X of Y" of the whole packet; every page of a
    form names the form and its version in the footer."""
    styles = prepare_styles(assets)
    attached = read_attachments(data.attachments)
    frame = PageFrame(data.clinic, data.patient, TITLE, data.printed_on)
    decorator = PageDecorator(frame, styles)
    landed: list[int] = []
    story: list[Any] = [SectionLabel(decorator, "Cover sheet"), *_cover_sheet(data, styles)]
    for template in data.templates:
        story += [PageBreak(), SectionLabel(decorator, template.label)]
        story += _consent_form(template, data, styles)
    story += slot_story(attached, styles, decorator, landed)
    pdf = render(story, styles=styles, decorator=decorator, frame=frame, metadata=_metadata(data))
    return merge_attachments(pdf, attached, landed, styles) if attached else pdf


def _metadata(data: ConsentPacketData) -> PdfMetadata:
    labels = tuple(template.label for template in data.templates)
    return PdfMetadata(
        title=TITLE,
        subject="Consent forms: " + (", ".join(labels) or "none"),
        keywords=("IsoTrack", "isotretinoin", "consent", "iPLEDGE", *labels),
        author=data.clinic.name,
    )


def _cover_sheet(data: ConsentPacketData, styles: PdfStyles) -> list[Any]:
    return [
        Paragraph("Consent packet: cover sheet", styles["title"]),
        text(
            f"Prepared {format_date(data.printed_on)}. Check the name, date of birth and MRN "
            "at the top of every page before anyone signs.",
            styles["subtitle"],
        ),
        _patient_details(data, styles),
        Paragraph("In this packet", styles["heading"]),
        *_contents(data, styles),
        Paragraph("Nurse checklist", styles["heading"]),
        *_checklist(data, styles),
    ]


def _patient_details(data: ConsentPacketData, styles: PdfStyles) -> Any:
    patient = data.patient
    age = age_on(patient.birth_date, data.printed_on)
    rows = [
        ("Patient", patient.name),
        ("Preferred name", patient.preferred_name or "—"),
        ("Date of birth", f"{format_date(patient.birth_date)} (age {age} on the print date)"),
        ("MRN", patient.mrn),
        ("iPLEDGE risk category", data.category_wording),
        ("Prescriber", data.prescriber_name or "—"),
        ("Product", data.product_name),
    ]
    if data.is_minor:
        guardian = data.guardian
        rows.append(("Parent or guardian", _guardian_wording(data)))
        rows.append(
            (
                "Under 18",
                "A parent or guardian reads and initials every statement and signs every form."
                if guardian
                else "No parent or guardian is recorded: record one before signing.",
            )
        )
    table_rows = [
        [text(label, styles["label"]), text(value, styles["cell"])] for label, value in rows
    ]
    width = styles.page.frame_width
    return data_table(
        table_rows,
        (130, width - 130),
        styles,
        header_rows=0,
        extra=[("LINEBELOW", (0, 0), (-1, -1), 0.3, styles.colors["grid"])],
    )


def _guardian_wording(data: ConsentPacketData) -> str:
    if data.guardian is None:
        return "not recorded"
    return f"{data.guardian.name} ({data.guardian.relationship})"


def _contents(data: ConsentPacketData, styles: PdfStyles) -> list[Any]:
    lines = [
        f"{template.title} — {template.label}, {len(template.statements)} statements to "
        f"initial, for {AUDIENCE_WORDING[template.applies_to.value]}"
        for template in data.templates
    ]
    lines += [f"Clinic form: {attachment.title}" for attachment in data.attachments]
    if not lines:
        lines = ["No forms."]
    return [text(f"{number}. {line}", styles["bullet"]) for number, line in enumerate(lines, 1)]


def _checklist(data: ConsentPacketData, styles: PdfStyles) -> list[Any]:
    items = data.checklist or ("Every page shows this patient's name, date of birth and MRN.",)
    rows = [[text(CHECKBOX, styles["cell"]), text(item, styles["cell"])] for item in items]
    rows.append(
        [
            text("", styles["cell"]),
            text("Checked by ____________________   Date ____________", styles["initials"]),
        ]
    )
    return [data_table(rows, (18, styles.page.frame_width - 18), styles, header_rows=0)]


def _consent_form(
    template: ConsentTemplate, data: ConsentPacketData, styles: PdfStyles
) -> list[Any]:
    audience = AUDIENCE_WORDING[template.applies_to.value]
    story: list[Any] = [
        text(template.title, styles["title"]),
        text(
            f"Form {template.form.value} · version {template.version} · in use from "
            f"{format_date(template.effective_on)} · for {audience}",
            styles["subtitle"],
        ),
        text(template.intro, styles["body"]),
    ]
    if data.clinic.phone:  # without one, the forms' wording stands on its own
        story.append(text(f"The clinic's phone number: {data.clinic.phone}", styles["body"]))
    for section in template.sections:
        story.append(text(section.heading, styles["heading"]))
        if section.text:
            story.append(text(section.text, styles["body"]))
        story += [
            Paragraph(f"•&nbsp;{escape_markup(item)}", styles["bullet"]) for item in section.items
        ]
    with_guardian = _guardian_signs(template, data)
    numbered = list(enumerate(template.statements, 1))
    kept = numbered[-STATEMENTS_KEPT_WITH_SIGNATURES:]
    rest = numbered[: len(numbered) - len(kept)]
    story.append(Paragraph("Statements to initial", styles["heading"]))
    if rest:
        story.append(_statements(rest, with_guardian, styles))
    # The last statements go over the page with the signatures rather than leave the
    # signature block alone on a nearly empty page.
    story.append(
        KeepTogether(
            [_statements(kept, with_guardian, styles), *_signatures(template, data, styles)]
        )
    )
    return story


def _guardian_signs(template: ConsentTemplate, data: ConsentPacketData) -> bool:
    return data.is_minor and SignerRole.GUARDIAN in template.signers


def _statements(numbered: list[tuple[int, str]], with_guardian: bool, styles: PdfStyles) -> Any:
    """Number | statement | initials lines. Number and initials are plain cell strings (no
    user text, nothing to wrap), which keeps a long form quick to lay out."""
    initials = "Patient initials ______" + ("\nGuardian initials ______" if with_guardian else "")
    rows = [
        [f"{number}.", text(statement, styles["statement"]), initials]
        for number, statement in numbered
    ]
    number_style, initials_style = styles["statement_number"], styles["initials"]
    width = styles.page.frame_width
    return data_table(
        rows,
        (NUMBER_WIDTH, width - NUMBER_WIDTH - INITIALS_WIDTH, INITIALS_WIDTH),
        styles,
        header_rows=0,
        extra=[
            ("LINEBELOW", (0, 0), (-1, -1), 0.3, styles.colors["grid"]),
            ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ("FONTNAME", (0, 0), (0, -1), number_style.fontName),
            ("FONTSIZE", (0, 0), (0, -1), number_style.fontSize),
            ("ALIGN", (0, 0), (0, -1), "RIGHT"),
            ("FONTSIZE", (2, 0), (2, -1), initials_style.fontSize),
            ("LEADING", (2, 0), (2, -1), initials_style.leading),
            ("TEXTCOLOR", (2, 0), (2, -1), initials_style.textColor),
        ],
    )


def _signatures(template: ConsentTemplate, data: ConsentPacketData, styles: PdfStyles) -> list[Any]:
    """Kept on one page (with the last statements), with a sentence naming the form so a
    signature page still says what was signed."""
    rows: list[list[Any]] = []
    for role in _printed_signers(template, data):
        label, date_label = (
            text(SIGNER_CAPTIONS[role], styles["label"]),
            text("Date", styles["label"]),
        )
        rows += [
            [label, "", "", date_label, ""],
            ["", text(_signer_name(role, data), styles["caption"]), "", "", ""],
        ]
    sign_rows = range(0, len(rows), 2)
    rules = [
        *(("LINEBELOW", (1, row), (1, row), 0.7, styles.colors["ink"]) for row in sign_rows),
        *(("LINEBELOW", (4, row), (4, row), 0.7, styles.colors["ink"]) for row in sign_rows),
        *(("TOPPADDING", (0, row), (-1, row), 18) for row in sign_rows),
        ("VALIGN", (0, 0), (-1, -1), "BOTTOM"),
    ]
    line_width = styles.page.frame_width - SIGNER_LABEL_WIDTH - 16 - 36 - 110
    table = data_table(
        rows, (SIGNER_LABEL_WIDTH, line_width, 16, 36, 110), styles, header_rows=0, extra=rules
    )
    attestation = (
        f"By signing I confirm that I have read statements 1 to {len(template.statements)} of "
        f"{template.label}, that my questions were answered, and that I agree to them."
    )
    return [
        Spacer(1, 6),
        Paragraph("Signatures", styles["heading"]),
        text(attestation, styles["body"]),
        table,
    ]


def _printed_signers(template: ConsentTemplate, data: ConsentPacketData) -> list[SignerRole]:
    """Guardian lines only for a minor; the witness line only when the clinic uses one."""
    skipped = set()
    if not _guardian_signs(template, data):
        skipped.add(SignerRole.GUARDIAN)
    if not data.include_witness:
        skipped.add(SignerRole.WITNESS)
    return [role for role in template.signers if role not in skipped]


def _signer_name(role: SignerRole, data: ConsentPacketData) -> str:
    if role is SignerRole.PATIENT:
        return f"Printed name: {data.patient.name}"
    if role is SignerRole.PRESCRIBER and data.prescriber_name:
        return f"Printed name: {data.prescriber_name}"
    if role is SignerRole.GUARDIAN and data.guardian is not None:
        return f"Printed name: {data.guardian.name} · Relationship: {data.guardian.relationship}"
    if role is SignerRole.GUARDIAN:
        return "Printed name: ____________________ · Relationship: ____________"
    return "Printed name: ______________________________"
