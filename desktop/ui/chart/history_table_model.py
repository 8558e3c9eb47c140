"""A patient's audit trail as a table: when, who, where, what, and each field's old → new."""

import ast
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt

from desktop.rules.consents import ConsentForm
from desktop.rules.patients import RISK_CATEGORY_LABELS, RiskCategory
from desktop.services.consents import CONSENT_FORM_TITLES
from desktop.services.printing import KIND_TITLES
from desktop.services.records import AuditRecord, FieldChange
from desktop.ui.patients.patient_form_panel import FIELD_LABELS, field_title
from desktop.ui.table_model import Column, RecordTableModel

ACTION_LABELS = {
    "patient.create": "Registered",
    "patient.update": "Edited",
    "course.start": "Course started",
    "course.import": "Course imported",
    "course.demo_create": "Course created (demo)",
    "course.pause": "Course paused",
    "course.resume": "Course resumed",
    "course.end": "Course ended",
    "dose.change": "Dose changed",
    "weight.record": "Weight recorded",
    "visit.create": "Visit recorded",
    "visit_follow_up.record": "Same-day follow-up done",
    "missed_dose.record": "Missed day recorded",
    "pregnancy_test.create": "Pregnancy test recorded",
    "contraception.create": "Contraception recorded",
    "counseling.confirm": "Counselling confirmed",
    "comprehension.record": "Comprehension questions done",
    "fill.record": "Fill recorded",
    "lab.record": "Lab recorded",
    "consent.sign": "Consent signed",
    "consent.void": "Consent signature voided",
    "consent.correct": "Consent signature corrected",
    "counseling.void": "Counselling confirmation voided",
    "counseling.correct": "Counselling confirmation corrected",
    "medication.create": "Medication added",
    "medication.update": "Medication edited",
    "medication.stop": "Medication stopped",
    "document.prepare": "Document prepared",
    "document.printed": "Document printed",
    "document.saved": "Document saved to a file",
}
DOCUMENT_ACTIONS = frozenset({"document.prepare", "document.printed", "document.saved"})
DOCUMENT_TITLES = {kind.value: title for kind, title in KIND_TITLES.items()}
FINGERPRINT_CHARS = 12
"""Enough of the SHA-256 to tell two printouts apart on screen; the audit keeps all 64."""
EMPTY_VALUE = "(blank)"
_FORM_ORDER = {field: position for position, field in enumerate(FIELD_LABELS)}
_TOP_LEFT = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop


def _shown_value(field: str, value: str) -> str:
    """Stored codes in the words the form uses."""
    if not value:
        return EMPTY_VALUE
    if field == "risk_category" and value in set(RiskCategory):
        return RISK_CATEGORY_LABELS[RiskCategory(value)]
    if field == "form" and value in set(ConsentForm):
        return CONSENT_FORM_TITLES[ConsentForm(value)]
    if field == "sex_at_birth" or value in ("yes", "no"):
        return value.capitalize()
    return value


def change_title(field: str) -> str:
    """The patient form's label, else the stored name in words ('last_dose_on' → 'Last
    dose on')."""
    if field in FIELD_LABELS:
        return field_title(field)
    return field.replace("_", " ").capitalize()


def describe_change(change: FieldChange, is_creation: bool) -> str:
    title = change_title(change.field)
    new = _shown_value(change.field, change.new)
    if is_creation or change.old == change.new:
        # A value a void or correction kept as it was is shown once, for context.
        return f"{title}: {new}"
    return f"{title}: {_shown_value(change.field, change.old)} → {new}"


def _clinic_form_titles(stored: str) -> str:
    """The titles of the clinic's own forms in a packet (stored as a list of title and
    SHA-256 pairs), else the stored text as it is."""
    try:
        forms = ast.literal_eval(stored)
        return ", ".join(str(form["title"]) for form in forms)
    except (ValueError, SyntaxError, TypeError, KeyError):
        return stored


def describe_document(record: AuditRecord) -> str:
    """A document's audit entry in words: which document, of how many pages, on which
    printer, with which consent wording, and a short fingerprint of the PDF."""
    values = {change.field: change.new for change in record.changes}
    kind = values.get("kind", "")
    lines = [f"Document: {DOCUMENT_TITLES.get(kind, kind)}"]
    if values.get("visit_on"):
        lines.append(f"Visit of {values['visit_on']}")
    if values.get("pages"):
        lines.append(f"Pages: {values['pages']}")
    if values.get("printer"):
        lines.append(f"Printer: {values['printer']}")
    if values.get("template_versions"):
        lines.append(f"Consent wording: {values['template_versions']}")
    if values.get("clinic_forms"):
        lines.append(f"Clinic forms: {_clinic_form_titles(values['clinic_forms'])}")
    if values.get("sha256"):
        lines.append(f"Fingerprint: {values['sha256'][:FINGERPRINT_CHARS]}…")
    return "\n".join(lines)


def describe_changes(record: AuditRecord) -> str:
    """One line per changed field, in the order the form shows them."""
    if record.action in DOCUMENT_ACTIONS:
        return describe_document(record)
    # A creation, or an entry that only adds facts (a course started, a test, a lab); an
    # edit always shows old → new, even from blank.
    adds_only = not record.action.endswith(".update") and not any(c.old for c in record.changes)
    is_creation = record.action.endswith(".create") or adds_only
    shown = [c for c in record.changes if not (is_creation and not c.new)]
    shown.sort(key=lambda c: _FORM_ORDER.get(c.field, len(_FORM_ORDER)))
    lines = [describe_change(c, is_creation) for c in shown]
    if record.reason and all(c.new != record.reason for c in shown):
        # A stop or pause keeps its reason as a field already; a void's is only here.
        lines.append(f"Reason: {record.reason}")
    return "\n".join(lines)


class HistoryTableModel(RecordTableModel[AuditRecord]):
    """Times are shown in the clinic's time zone; the records stay in UTC."""

    def __init__(self, time_zone: ZoneInfo) -> None:
        super().__init__(
            (
                Column(
                    "When",
                    lambda r: r.at.astimezone(time_zone).strftime("%Y-%m-%d %H:%M"),
                    sort_key=lambda r: r.at,
                    align=_TOP_LEFT,
                ),
                Column("Who", lambda r: r.actor_name, align=_TOP_LEFT),
                Column("Workstation", lambda r: r.workstation, align=_TOP_LEFT),
                Column("Action", lambda r: ACTION_LABELS.get(r.action, r.action), align=_TOP_LEFT),
                Column("Changes", describe_changes, align=_TOP_LEFT),
            )
        )
