"""The course's dated doses, oldest first: from when, how much (AM + PM) of which product,
why, and who recorded it; the starting dose is the first row."""

from desktop.services.course_records import DoseChangeRecord
from desktop.ui.course.regimen_text import mg_text, product_display_name
from desktop.ui.table_model import Column, RecordTableModel

OVERRIDE_NOTE = "prescriber override of the labelled maximum"


def dose_text(change: DoseChangeRecord) -> str:
    """'30 mg/day (AM 10 + PM 20)' over the product's name."""
    am, pm = mg_text(change.am_mg).removesuffix(" mg"), mg_text(change.pm_mg).removesuffix(" mg")
    daily = f"{mg_text(change.mg_per_day)}/day (AM {am} + PM {pm})"
    return f"{daily}\n{product_display_name(change.product)}"


def reason_text(change: DoseChangeRecord) -> str:
    reason = change.reason or "—"
    return f"{reason} ({OVERRIDE_NOTE})" if change.prescriber_override else reason


DOSE_CHANGE_COLUMNS: tuple[Column[DoseChangeRecord], ...] = (
    Column("From", lambda c: c.starts_on.isoformat(), sort_key=lambda c: c.starts_on),
    Column("Dose and product", dose_text, sort_key=lambda c: c.mg_per_day),
    Column("Reason", reason_text),
    Column("Recorded by", lambda c: c.recorded_by_name),
)
REASON_COLUMN = 2


class DoseChangesTableModel(RecordTableModel[DoseChangeRecord]):
    def __init__(self) -> None:
        super().__init__(DOSE_CHANGE_COLUMNS)
