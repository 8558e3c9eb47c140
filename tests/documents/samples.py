"""Synthetic document inputs shared by the document tests and the benchmark (no real patients)."""

from dataclasses import replace
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from io import BytesIO

from PIL import Image
from reportlab.pdfgen.canvas import Canvas

from desktop.documents.data import (
    ClinicAttachment,
    ClinicLetterhead,
    ConsentPacketData,
    CumulativeMonth,
    DoseProgress,
    DoseTime,
    FillWindow,
    Guardian,
    LabDue,
    LabResult,
    MoodScreen,
    PatientBand,
    PregnancyMonitoring,
    PregnancyTest,
    Regimen,
    SideEffect,
    VisitSignature,
    VisitSummaryData,
)
from desktop.documents.styles import BASE_FONT, register_fonts
from desktop.rules.consents import SignerRole, required_consent_forms
from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.services.catalog.consent_templates import load_consent_template, load_document_assets

PRINTED_ON = date(2026, 11, 20)
CLINIC_TIME = timezone(timedelta(hours=-5), "EST")
CLINIC = ClinicLetterhead(
    name="Riverside Dermatology & Skin Clinic",
    address_lines=("1200 Example Avenue, Suite 4B", "Springfield, ST 00000"),
    phone="(555) 010-0199",
)
TEEN = PatientBand(
    name="Zoë Anaïs Ségolène Nakamura-Świątkowska O'Brien",
    preferred_name="Zo",
    birth_date=date(2010, 3, 14),
    mrn="MRN-0042-7781",
)
TEEN_GUARDIAN = Guardian(name="Ángela Nakamura-Świątkowska", relationship="mother")
ADULT = PatientBand(name="Marcus Oyelaran", birth_date=date(1990, 7, 2), mrn="MRN-0042-1203")
CHECKLIST = (
    "Category confirmed by the prescriber and entered in iPLEDGE",
    "Medication Guide given and explained",
    "Every statement initialed; every signature dated",
    "Copy of the signed packet given to the patient",
)


def attachment_pdf(title: str, pages: int = 1, *, size: tuple[float, float] = (595, 842)) -> bytes:
    """A stand-in for a clinic's own form (A4 by default, to exercise the scaling)."""
    register_fonts(load_document_assets().fonts)
    buffer = BytesIO()
    canvas = Canvas(buffer, pagesize=size, initialFontName=BASE_FONT, invariant=True)
    for number in range(1, pages + 1):
        canvas.setFont(BASE_FONT, 14)
        canvas.drawString(50, size[1] - 60, f"{title} — clinic page {number}")
        canvas.rect(40, 40, size[0] - 80, size[1] - 80)
        canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def packet_data(
    patient: PatientBand, *, can_get_pregnant: bool, guardian: Guardian | None = None
) -> ConsentPacketData:
    """A packet with the forms the rules require for this patient on PRINTED_ON."""
    required = required_consent_forms(
        can_get_pregnant=can_get_pregnant, birth_date=patient.birth_date, on=PRINTED_ON
    )
    return ConsentPacketData(
        clinic=CLINIC,
        patient=patient,
        prescriber_name="Dr. Priya Raman-Lindqvist",
        product_name="Isotretinoin capsules (generic) 10/20/30/40 mg",
        category_wording=(
            "Patient who can get pregnant"
            if can_get_pregnant
            else "Patient who cannot get pregnant"
        ),
        printed_on=PRINTED_ON,
        templates=tuple(load_consent_template(item.form) for item in required),
        is_minor=any(SignerRole.GUARDIAN in item.signers for item in required),
        guardian=guardian,
        checklist=CHECKLIST,
    )


def teen_packet(*, attachments: int = 0) -> ConsentPacketData:
    data = packet_data(TEEN, can_get_pregnant=True, guardian=TEEN_GUARDIAN)
    forms = tuple(
        ClinicAttachment(f"Clinic photo consent {n}", attachment_pdf(f"Photo consent {n}", n))
        for n in range(1, attachments + 1)
    )
    return replace(data, attachments=forms)


def adult_packet() -> ConsentPacketData:
    return packet_data(ADULT, can_get_pregnant=False)


def _months() -> tuple[CumulativeMonth, ...]:
    totals = (
        (date(2026, 8, 1), 1140),
        (date(2026, 9, 1), 1800),
        (date(2026, 10, 1), 2170),
        (date(2026, 11, 1), 1330),
    )
    running, rows = Decimal(0), []
    for month, mg in totals:
        running += mg
        rows.append(
            CumulativeMonth(month, Decimal(mg), running, (running / 58).quantize(Decimal("0.1")))
        )
    return tuple(rows)


def visit_data(patient: PatientBand = TEEN, *, can_get_pregnant: bool = True) -> VisitSummaryData:
    pregnancy = PregnancyMonitoring(
        last_test=PregnancyTest(date(2026, 11, 19), "negative", "clinic", "urine hCG"),
        next_test_on=date(2026, 12, 18),
        contraception=ContraceptionPeriod(
            date(2026, 8, 1), ContraceptionMethod.IMPLANT, ContraceptionMethod.CONDOM
        ),
    )
    return VisitSummaryData(
        clinic=CLINIC,
        patient=patient,
        visit_on=date(2026, 11, 20),
        printed_on=PRINTED_ON,
        weight_kg=Decimal("58.0"),
        weight_lb=Decimal("127.9"),
        product_name="Isotretinoin capsules (generic)",
        needs_food=True,
        regimen=Regimen(
            DoseTime(Decimal(30), (Decimal(30),)), DoseTime(Decimal(40), (Decimal(40),))
        ),
        achieved_mg_per_kg_day=Decimal("1.21"),
        progress=DoseProgress(
            cumulative_mg=Decimal(6440),
            cumulative_mg_per_kg=Decimal("111.0"),
            target_mg_per_kg=Decimal(150),
            projected_last_dose_on=date(2027, 1, 21),
            by_month=_months(),
        ),
        prescriber_name="Dr. Priya Raman-Lindqvist",
        side_effects=(
            SideEffect("Dry lips (cheilitis)", "moderate", "uses lip balm hourly"),
            SideEffect("Nosebleeds", "mild"),
            SideEffect("Headache with blurred vision", "severe", "started 2 days ago", True),
        ),
        mood=MoodScreen(
            phq2_score=3, phq9_score=11, flags=("PHQ-2 positive (3 or more): PHQ-9 done",)
        ),
        pregnancy=pregnancy if can_get_pregnant else None,
        fill_window=FillWindow(date(2026, 11, 19), date(2026, 11, 25)),
        labs_due=(LabDue("Fasting lipid panel", date(2026, 12, 18), "no alcohol 36 h before"),),
        lab_results=(
            LabResult("Triglycerides", "512", "mg/dL", date(2026, 11, 12), "< 150", "≥ 500: alert"),
            LabResult("ALT", "28", "U/L", date(2026, 11, 12), "7–56"),
        ),
        counseling_topics=("Sun protection", "No blood donation", "Mood changes: when to call"),
        notes="Discussed headache & vision change <urgent>; prescriber reviewing today.\nLips: ok.",
        next_visit_on=date(2026, 12, 18),
        reminders=("Bring your iPLEDGE ID card.",),
        signatures=(
            VisitSignature(
                "Nurse",
                "Jordan Ellis, RN",
                datetime(2026, 11, 20, 15, 5, tzinfo=UTC).astimezone(CLINIC_TIME),
            ),
            VisitSignature("Prescriber", "Dr. Priya Raman-Lindqvist"),
        ),
    )


def logo_png() -> bytes:
    """A small two-colour stand-in for a clinic logo."""
    image = Image.new("RGB", (240, 80), "#1f4e79")
    image.paste("#e7eef5", (20, 20, 220, 60))
    buffer = BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()
