"""Prescription fills: when, how many days' supply, the capsules dispensed, and the last day
that supply covers."""

from datetime import timedelta

from PySide6.QtCore import Qt

from desktop.rules.ipledge import Fill, supply_ends_on
from desktop.services.course_records import FillRecord
from desktop.ui.table_model import Column, RecordTableModel

_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
NOT_RECORDED = "not recorded"


def last_covered_day(fill: FillRecord) -> str:
    return (supply_ends_on(Fill(fill.filled_on, fill.days_supply)) - timedelta(days=1)).isoformat()


def capsules_text(fill: FillRecord) -> str:
    return NOT_RECORDED if fill.capsules is None else f"{fill.capsules:,}"


class FillsTableModel(RecordTableModel[FillRecord]):
    def __init__(self) -> None:
        super().__init__(
            (
                Column(
                    "Filled on", lambda f: f.filled_on.isoformat(), sort_key=lambda f: f.filled_on
                ),
                Column(
                    "Days' supply",
                    lambda f: str(f.days_supply),
                    sort_key=lambda f: f.days_supply,
                    align=_NUMBER,
                ),
                Column(
                    "Capsules",
                    capsules_text,
                    sort_key=lambda f: (f.capsules is not None, f.capsules),
                    align=_NUMBER,
                ),
                Column("Supply lasts through", last_covered_day),
            )
        )
