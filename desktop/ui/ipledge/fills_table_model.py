"""Prescription fills: when, how many days' supply, and the last day that supply covers.

Capsules dispensed are recorded by `record_fill` but the course overview does not return
them yet, so they are not shown here."""

from datetime import timedelta

from PySide6.QtCore import Qt

from desktop.rules.ipledge import Fill, supply_ends_on
from desktop.ui.table_model import Column, RecordTableModel

_NUMBER = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def last_covered_day(fill: Fill) -> str:
    return (supply_ends_on(fill) - timedelta(days=1)).isoformat()


class FillsTableModel(RecordTableModel[Fill]):
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
                Column("Supply lasts through", last_covered_day),
            )
        )
