"""The chart's header, always above the tabs: who the patient is, the course and dose, the
progress to target, the most urgent item and every safety warning."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from desktop.rules.dosing import Dose
from desktop.rules.dosing import Severity as CautionSeverity
from desktop.rules.interactions import Caution, PatientFlags, medication_cautions
from desktop.rules.labs import FlagLevel, LabFlag
from desktop.rules.worklist_items import ItemStatus, Severity, WorkKind, WorklistItem, urgency_key
from desktop.services.course_overview import CourseOverview
from desktop.services.labs import LabRecord
from desktop.services.records import PatientRecord
from desktop.ui.chart.chart_data import ChartData
from desktop.ui.course.dose_panel import progress_text
from desktop.ui.course.regimen_text import product_display_name
from desktop.ui.patients.patient_form_panel import HARD_STOP_NOTE
from desktop.ui.patients.patients_table_model import (
    birth_date_and_age,
    name_with_preferred,
    risk_category_label,
)

PREGNANCY_FLAG = "Pregnant or breastfeeding — hard stop"
RETINOID_ALLERGY_FLAG = "Retinoid / vitamin A allergy — hard stop"
NO_COURSE = "No course yet"
NO_DOSE = "no dose recorded yet"
HARD_STOP = "hardStopFlag"
WARNING = "warningFlag"
NOTE = "hint"
"""Object names: the style sheet's red, amber and grey (resources/styles/app.qss)."""
SEVERITY_STYLE = {Severity.URGENT: HARD_STOP, Severity.WARNING: WARNING, Severity.INFO: NOTE}
LAB_STYLE = {FlagLevel.URGENT: HARD_STOP, FlagLevel.ALERT: WARNING}
LAB_WORDS = {FlagLevel.URGENT: "Lab URGENT", FlagLevel.ALERT: "Lab alert"}
CAUTION_STYLE = {
    CautionSeverity.STOP: HARD_STOP,
    CautionSeverity.WARNING: WARNING,
    CautionSeverity.CAUTION: WARNING,
    CautionSeverity.INFO: NOTE,
}
INTERACTION_TOOLTIP = "From the medication list on the Overview tab (domain.md §6)."


@dataclass(frozen=True, slots=True)
class HeaderFlag:
    text: str
    style: str
    """HARD_STOP, WARNING or NOTE."""
    tooltip: str = ""


def doses_words(doses: Sequence[Dose]) -> str:
    """'30 mg AM · 40 mg PM'."""
    return " · ".join(f"{dose.mg} mg {dose.time.value.upper()}" for dose in doses)


def course_text(overview: CourseOverview | None) -> str:
    """'Course 2 (active) · Isotretinoin (generic) 30 mg AM · 40 mg PM · 41.3 of 150 mg/kg
    (28%)'; an ended course gives its last dose day instead of a dose."""
    if overview is None:
        return NO_COURSE
    course = overview.course
    product = product_display_name(course.product)
    dose = overview.dose
    if course.last_dose_on is not None:  # ended: no dose is current any more
        parts = [f"Course {course.number} (ended, last dose {course.last_dose_on})", product]
        if dose is not None:
            parts.append(progress_text(dose))
        return "  ·  ".join(parts)
    parts = [f"Course {course.number} ({course.status.value})"]
    if dose is None:
        parts.append(f"{product}, {NO_DOSE}")
    elif not dose.doses:
        parts.append(f"{product} on hold")
    else:
        parts.append(f"{product} {doses_words(dose.doses)}")
    if dose is not None:
        parts.append(progress_text(dose))
    return "  ·  ".join(parts)


def item_text(item: WorklistItem) -> str:
    if item.status is ItemStatus.OVERDUE:
        when = f"Overdue since {item.due_on:%a %Y-%m-%d}"
    elif item.status is ItemStatus.DUE:
        when = "Due today"
    else:
        when = f"Due {item.due_on:%a %Y-%m-%d}"
    return f"{when}: {item.message}"


def header_order(item: WorklistItem) -> tuple[bool, tuple[int, int, date, str]]:
    """A same-day follow-up first (domain.md §4.1, §4.2: the patient may still be in the
    building), even before an older urgent item; then the worklist's order."""
    return item.kind is not WorkKind.SAME_DAY_FOLLOW_UP, urgency_key(item)


def most_urgent_flag(items: Sequence[WorklistItem]) -> HeaderFlag | None:
    """The one item to act on first (`header_order`), and how many more there are."""
    if not items:
        return None
    first, *rest = sorted(items, key=header_order)
    more = f"  (+{len(rest)} more on the worklist)" if rest else ""
    tooltip = "\n".join(item_text(i) for i in rest)
    return HeaderFlag(item_text(first) + more, SEVERITY_STYLE[first.severity], tooltip)


def current_lab_flags(labs: Sequence[LabRecord]) -> tuple[LabFlag, ...]:
    """Alert and urgent flags of the latest resulted draw of each panel: a later normal
    draw clears an older flag (domain.md §3.4)."""
    latest: dict[object, LabRecord] = {}
    for record in labs:
        if not record.is_resulted or record.drawn_on is None:
            continue
        seen = latest.get(record.panel)
        if seen is None or (seen.drawn_on or date.min) < record.drawn_on:
            latest[record.panel] = record
    flags = [f for r in latest.values() for f in r.flags if f.level in LAB_STYLE]
    return tuple(sorted(flags, key=lambda f: f.level is not FlagLevel.URGENT))


def interaction_flags(cautions: Sequence[Caution]) -> list[HeaderFlag]:
    """The cautions the medication list raises, most severe first, in the rules' words. The
    patient's own hard stops (pregnancy, allergy) have flags of their own above them."""
    return [
        HeaderFlag(c.message, CAUTION_STYLE[c.severity], INTERACTION_TOOLTIP)
        for c in cautions
        if c.medication is not None
    ]


def header_flags(
    patient: PatientRecord,
    overview: CourseOverview | None,
    labs: Sequence[LabRecord],
    cautions: Sequence[Caution] = (),
) -> list[HeaderFlag]:
    """Hard stops first, then medication interactions, the most urgent item, lab flags and
    allergies."""
    flags = []
    if patient.is_pregnant_or_breastfeeding:
        flags.append(HeaderFlag(PREGNANCY_FLAG, HARD_STOP, HARD_STOP_NOTE))
    if patient.has_retinoid_allergy:
        caution = medication_cautions((), PatientFlags(has_retinoid_allergy=True))[0]
        flags.append(HeaderFlag(RETINOID_ALLERGY_FLAG, HARD_STOP, caution.message))
    flags += interaction_flags(cautions)
    if overview is not None and (item := most_urgent_flag(overview.items)) is not None:
        flags.append(item)
    for lab in current_lab_flags(labs):
        text = f"{LAB_WORDS[lab.level]} ({lab.drawn_on.isoformat()}): {lab.message}"
        flags.append(HeaderFlag(text, LAB_STYLE[lab.level]))
    if patient.allergies.strip():
        flags.append(HeaderFlag(f"Allergies: {patient.allergies.strip()}", WARNING))
    return flags


class PatientHeaderPanel(QWidget):
    """Filled by `show_data`; shows nothing about a patient until then."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.name_label = QLabel()
        self.name_label.setObjectName("chartName")
        self.name_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        # Both wrap: a long legal name goes onto a second line instead of widening the window
        # past the screen.
        self.name_label.setWordWrap(True)
        self.summary_label = QLabel()
        self.summary_label.setWordWrap(True)
        self.course_label = QLabel()
        self.course_label.setWordWrap(True)
        self.flag_labels: list[QLabel] = []
        self._flags_layout = QVBoxLayout()
        self._flags_layout.setSpacing(4)
        identity = QHBoxLayout()
        identity.addWidget(self.name_label, 3)
        identity.addSpacing(16)
        identity.addWidget(self.summary_label, 2)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addLayout(identity)
        layout.addWidget(self.course_label)
        layout.addLayout(self._flags_layout)

    def show_data(self, data: ChartData, today: date) -> None:
        patient = data.patient
        self.name_label.setText(name_with_preferred(patient.legal_name, patient.preferred_name))
        parts = (
            birth_date_and_age(patient.birth_date, today),
            f"MRN {patient.mrn}",
            risk_category_label(patient.risk_category),
        )
        self.summary_label.setText("  ·  ".join(parts))
        self.course_label.setText(course_text(data.overview))
        self._show_flags(header_flags(patient, data.overview, data.labs, data.cautions))

    def flag_texts(self) -> list[str]:
        return [label.text() for label in self.flag_labels]

    def _show_flags(self, flags: list[HeaderFlag]) -> None:
        for label in self.flag_labels:
            self._flags_layout.removeWidget(label)
            label.deleteLater()
        self.flag_labels = []
        for flag in flags:
            label = QLabel(flag.text)
            label.setObjectName(flag.style)
            label.setWordWrap(True)
            label.setToolTip(flag.tooltip)
            self._flags_layout.addWidget(label)
            self.flag_labels.append(label)
