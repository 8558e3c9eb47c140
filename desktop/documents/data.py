"""Inputs of the PDF builders: everything a document shows, filled in by a service.

Builders look nothing up: no clock, no database, no resource paths. Dates are clinical dates;
`signed_at` times arrive already in the clinic's time zone. Quantities are `Decimal` as the
rules computed them; builders format, they never recompute.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any

from desktop.rules.consents import ConsentForm, SignerRole
from desktop.rules.contraception import ContraceptionPeriod


@dataclass(frozen=True, slots=True)
class ClinicLetterhead:
    name: str
    address_lines: tuple[str, ...] = ()
    phone: str = ""
    logo_png: bytes | None = None
    """Drawn at most 36 pt high in the top-left corner of every page."""


@dataclass(frozen=True, slots=True)
class PatientBand:
    """Who the page is about: printed on every page of every document."""

    name: str
    birth_date: date
    mrn: str
    preferred_name: str | None = None


@dataclass(frozen=True, slots=True)
class FallbackFont:
    """A bundled font for characters DejaVu Sans lacks."""

    path: str
    preferred_for: tuple[tuple[int, int], ...] = ()
    """Code point ranges (first, last, inclusive) for which this font is tried before the
    other fallbacks; elsewhere it is used only when no fallback before it has the glyph."""


@dataclass(frozen=True, slots=True)
class FontFiles:
    """Paths of the four faces of the bundled DejaVu Sans family, and of the fonts for the
    characters it lacks, in order of preference (none: those print as boxes)."""

    regular: str
    bold: str
    italic: str
    bold_italic: str
    fallbacks: tuple[FallbackFont, ...] = ()


@dataclass(frozen=True, slots=True)
class DocumentAssets:
    fonts: FontFiles
    styles: Mapping[str, Any]
    """Parsed resources/styles/pdf.toml."""


class TemplateAudience(StrEnum):
    ALL = "all"
    CAN_GET_PREGNANT = "can-get-pregnant"


@dataclass(frozen=True, slots=True)
class TemplateSection:
    """Information printed before the statements (e.g. lists of birth control methods)."""

    heading: str
    text: str = ""
    items: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class ConsentTemplate:
    """One version of one consent form, as parsed from resources/consents/<form>/<version>.toml."""

    form: ConsentForm
    version: str
    title: str
    effective_on: date
    applies_to: TemplateAudience
    intro: str
    statements: tuple[str, ...]
    """Numbered in print; each gets initials lines."""
    signers: tuple[SignerRole, ...]
    """Roles with a signature line; guardian and witness lines print only when they apply."""
    sections: tuple[TemplateSection, ...] = ()

    @property
    def label(self) -> str:
        """Printed in the footer of every page of the form, e.g. `informed-consent v2026.1`."""
        return f"{self.form.value} v{self.version}"


@dataclass(frozen=True, slots=True)
class Guardian:
    name: str
    relationship: str


@dataclass(frozen=True, slots=True)
class ClinicAttachment:
    """One of the clinic's own PDF forms, merged after the templates."""

    title: str
    pdf: bytes


@dataclass(frozen=True, slots=True)
class ConsentPacketData:
    clinic: ClinicLetterhead
    patient: PatientBand
    prescriber_name: str
    """Empty when no prescriber is known yet: the form then leaves a line to print on."""
    product_name: str
    category_wording: str
    """The iPLEDGE risk category as the clinic words it, e.g. "Patient who can get pregnant"."""
    printed_on: date
    templates: tuple[ConsentTemplate, ...]
    """In print order; see rules.consents.required_consent_forms."""
    is_minor: bool = False
    """Under 18 on the signing date: a parent or guardian initials and signs (domain.md §5)."""
    guardian: Guardian | None = None
    checklist: tuple[str, ...] = ()
    """The nurse's to-do list printed on the cover sheet."""
    attachments: tuple[ClinicAttachment, ...] = ()
    include_witness: bool = False
    """Clinic practice, never required (domain.md §5)."""


@dataclass(frozen=True, slots=True)
class DoseTime:
    mg: Decimal
    capsules_mg: tuple[Decimal, ...]
    """One entry per capsule, e.g. (30, 10) for one 30 mg and one 10 mg capsule."""


@dataclass(frozen=True, slots=True)
class Regimen:
    morning: DoseTime
    evening: DoseTime

    @property
    def daily_mg(self) -> Decimal:
        return self.morning.mg + self.evening.mg


@dataclass(frozen=True, slots=True)
class CumulativeMonth:
    month: date
    """Any day in the month; printed as the month and year."""
    mg_in_month: Decimal
    cumulative_mg: Decimal
    cumulative_mg_per_kg: Decimal


@dataclass(frozen=True, slots=True)
class DoseProgress:
    cumulative_mg: Decimal
    cumulative_mg_per_kg: Decimal
    target_mg_per_kg: Decimal | None
    """None when the course runs "until clear" (domain.md §2.3)."""
    projected_last_dose_on: date | None = None
    by_month: tuple[CumulativeMonth, ...] = ()


@dataclass(frozen=True, slots=True)
class SideEffect:
    name: str
    severity: str
    note: str = ""
    is_flagged: bool = False
    """A stop-and-call symptom (domain.md §4.1): printed as a flag."""


@dataclass(frozen=True, slots=True)
class MoodScreen:
    phq2_score: int
    phq9_score: int | None = None
    flags: tuple[str, ...] = ()
    """Worded by the rules, e.g. "PHQ-9 item 9 above 0: same-day clinician follow-up"."""


@dataclass(frozen=True, slots=True)
class PregnancyTest:
    specimen_on: date
    result: str
    setting: str
    method: str


@dataclass(frozen=True, slots=True)
class PregnancyMonitoring:
    """Only for patients who can get pregnant."""

    last_test: PregnancyTest | None
    next_test_on: date | None
    contraception: ContraceptionPeriod | None = None
    """What the patient uses now (the latest recorded period): the chart copy names it in
    iPLEDGE's wording, the patient's copy in plain words."""


@dataclass(frozen=True, slots=True)
class FillWindow:
    opens_on: date
    closes_on: date


@dataclass(frozen=True, slots=True)
class LabDue:
    name: str
    due_on: date
    note: str = ""


@dataclass(frozen=True, slots=True)
class LabResult:
    name: str
    value: str
    unit: str
    collected_on: date
    reference: str = ""
    flag: str | None = None


@dataclass(frozen=True, slots=True)
class VisitSignature:
    role: str
    name: str
    signed_at: datetime | None = None
    """Aware, in the clinic's time zone; None prints a blank line to sign by hand."""


@dataclass(frozen=True, slots=True)
class VisitSummaryData:
    clinic: ClinicLetterhead
    patient: PatientBand
    visit_on: date
    printed_on: date
    weight_kg: Decimal
    weight_lb: Decimal
    product_name: str
    needs_food: bool
    """Conventional capsules are taken with a meal; Absorica with or without (domain.md §2.1)."""
    regimen: Regimen
    achieved_mg_per_kg_day: Decimal
    progress: DoseProgress
    prescriber_name: str = ""
    side_effects: tuple[SideEffect, ...] = ()
    mood: MoodScreen | None = None
    pregnancy: PregnancyMonitoring | None = None
    fill_window: FillWindow | None = None
    labs_due: tuple[LabDue, ...] = ()
    lab_results: tuple[LabResult, ...] = ()
    counseling_topics: tuple[str, ...] = ()
    notes: str = ""
    next_visit_on: date | None = None
    missed_days_reported: int = 0
    follow_up: str = ""
    """For a visit that called for a same-day follow-up (domain.md §4.1, §4.2): whether it
    was recorded as done, when, by whom and what was done; empty otherwise."""
    """Days without a dose the patient reported at this visit."""
    dose_decision: str = ""
    """What was decided about the dose at the visit, as recorded (e.g. "continue current dose")."""
    reminders: tuple[str, ...] = ()
    """Course-specific reminders; the standard safety reminders are printed anyway."""
    signatures: tuple[VisitSignature, ...] = ()
