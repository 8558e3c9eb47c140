"""The worklist as a table: severity, status, due day, patient, what to do, prescriber; each
row tinted by its severity so that urgent work stands out in a long list."""

from datetime import date
from functools import cache
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from desktop.rules.worklist_items import ItemStatus, Severity, WorkKind
from desktop.services.worklist import WorklistRow
from desktop.ui.table_model import AnyIndex, Column, RecordTableModel

SEVERITY_WORDS = {Severity.URGENT: "URGENT", Severity.WARNING: "Warning", Severity.INFO: "Info"}
STATUS_WORDS = {
    ItemStatus.OVERDUE: "Overdue",
    ItemStatus.DUE: "Due today",
    ItemStatus.UPCOMING: "This week",
}
KIND_WORDS = {
    WorkKind.CONSENT_MISSING: "Consent missing",
    WorkKind.SCREENING_TEST: "Screening pregnancy test",
    WorkKind.CONFIRMATION_TEST: "Confirmation pregnancy test",
    WorkKind.PREGNANCY_TEST: "Monthly pregnancy test",
    WorkKind.PREGNANCY_TEST_POSITIVE: "Positive pregnancy test",
    WorkKind.CONTRACEPTION: "Contraception",
    WorkKind.COUNSELING_CONFIRMATION: "Counselling confirmation",
    WorkKind.COMPREHENSION_QUESTIONS: "Comprehension questions",
    WorkKind.FILL_WINDOW_CLOSING: "Fill window closing",
    WorkKind.LAB: "Labs",
    WorkKind.VISIT: "Visit",
    WorkKind.SAME_DAY_FOLLOW_UP: "Same-day follow-up",
    WorkKind.END_OF_COURSE_PREGNANCY_TEST: "End-of-course pregnancy test",
    WorkKind.POST_COURSE_PREGNANCY_TEST: "Post-course pregnancy test",
}
"""In the order the kind filter lists them: the iPLEDGE month first, then the rest."""
SEVERITY_TONES = {
    Severity.URGENT: ("#fde8e7", "#b42318"),
    Severity.WARNING: ("#fdf0d5", "#7a4b00"),
}
"""Background and text, the style sheet's red and amber; info rows keep the table's look."""
_STATUS_ORDER = {ItemStatus.OVERDUE: 0, ItemStatus.DUE: 1, ItemStatus.UPCOMING: 2}
_TONE_ROLES: dict[int, int] = {Qt.ItemDataRole.BackgroundRole: 0, Qt.ItemDataRole.ForegroundRole: 1}
_UNSTYLED_ROLES = frozenset(
    {
        Qt.ItemDataRole.FontRole,
        Qt.ItemDataRole.DecorationRole,
        Qt.ItemDataRole.CheckStateRole,
        Qt.ItemDataRole.SizeHintRole,
    }
)
"""Asked for every cell when columns are sized and painted (~2,000 calls at sign-in), and
never set in this table: answered before any other work."""


@cache
def _tone_brushes(severity: Severity) -> tuple[QBrush, QBrush] | None:
    tone = SEVERITY_TONES.get(severity)
    if tone is None:
        return None
    background, text = tone
    return QBrush(QColor(background)), QBrush(QColor(text))


def due_text(due_on: date) -> str:
    """'Fri 2026-11-20': the weekday helps plan the week at a glance."""
    return f"{due_on:%a} {due_on.isoformat()}"


def _severity_key(row: WorklistRow) -> tuple[int, int, date]:
    return (-row.severity.rank, _STATUS_ORDER[row.status], row.due_on)


class WorklistTableModel(RecordTableModel[WorklistRow]):
    """Rows stay in the service's order (most urgent first) until a header is clicked."""

    def __init__(self) -> None:
        super().__init__(
            (
                Column("Severity", lambda r: SEVERITY_WORDS[r.severity], sort_key=_severity_key),
                Column(
                    "Status",
                    lambda r: STATUS_WORDS[r.status],
                    sort_key=lambda r: (_STATUS_ORDER[r.status], r.due_on),
                ),
                Column("Due", lambda r: due_text(r.due_on), sort_key=lambda r: r.due_on),
                Column(
                    "Patient",
                    lambda r: r.patient_name,
                    sort_key=lambda r: r.patient_name,
                    tooltip=lambda r: r.patient_name,
                ),
                Column("MRN", lambda r: r.mrn),
                Column("What to do", lambda r: r.message, tooltip=lambda r: r.message),
                Column(
                    "Prescriber", lambda r: r.prescriber_name, tooltip=lambda r: r.prescriber_name
                ),
            )
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role in _UNSTYLED_ROLES:
            return None
        tone = _TONE_ROLES.get(role)
        if tone is None:
            return super().data(index, role)
        if not index.isValid() or index.row() >= self.rowCount():
            return None
        brushes = _tone_brushes(self.record_at(index.row()).severity)
        return None if brushes is None else brushes[tone]
