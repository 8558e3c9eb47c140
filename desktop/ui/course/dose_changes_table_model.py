"""The course's dated doses, oldest first: from when, how much a day and how it is split,
of which product, and why (who recorded it shows on hover); the starting dose is the first
row."""

from PySide6.QtCore import Qt

from desktop.services.course_records import DoseChangeRecord
from desktop.ui.course.regimen_text import mg_text, product_display_name
from desktop.ui.table_model import Column, RecordTableModel

OVERRIDE_NOTE = "prescriber override of the labelled maximum"
_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def split_text(change: DoseChangeRecord) -> str:
    """'10 + 20' (AM + PM, mg)."""
    am, pm = mg_text(change.am_mg).removesuffix(" mg"), mg_text(change.pm_mg).removesuffix(" mg")
    return f"{am} + {pm}"


def reason_text(change: DoseChangeRecord) -> str:
    reason = change.reason or "—"
    return f"{reason} ({OVERRIDE_NOTE})" if change.prescriber_override else reason


def recorded_by(change: DoseChangeRecord) -> str:
    return f"Recorded by {change.recorded_by_name}"


DOSE_CHANGE_COLUMNS: tuple[Column[DoseChangeRecord], ...] = (
    Column(
        "From",
        lambda c: c.starts_on.isoformat(),
        sort_key=lambda c: c.starts_on,
        tooltip=recorded_by,
    ),
    Column(
        "mg/day",
        lambda c: mg_text(c.mg_per_day).removesuffix(" mg"),
        sort_key=lambda c: c.mg_per_day,
        align=_NUMBER,
    ),
    Column("AM + PM", split_text, align=_NUMBER),
    Column("Product", lambda c: product_display_name(c.product)),
    Column("Reason", reason_text, tooltip=recorded_by),
)
REASON_COLUMN = 4


class DoseChangesTableModel(RecordTableModel[DoseChangeRecord]):
    def __init__(self) -> None:
        super().__init__(DOSE_CHANGE_COLUMNS)
