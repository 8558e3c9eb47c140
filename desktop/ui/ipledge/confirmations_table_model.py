"""Counselling confirmations and comprehension answers, one dated line each."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from desktop.ui.table_model import Column, RecordTableModel

COUNSELING_CONFIRMED = "Prescriber confirmed counselling in iPLEDGE"
COMPREHENSION_ANSWERED = "Patient answered the comprehension questions"


@dataclass(frozen=True, slots=True)
class Confirmation:
    on: date
    what: str


def confirmations(
    counseling: Sequence[date], comprehension: Sequence[date]
) -> tuple[Confirmation, ...]:
    """Both kinds together, newest first."""
    found = [Confirmation(day, COUNSELING_CONFIRMED) for day in counseling]
    found += [Confirmation(day, COMPREHENSION_ANSWERED) for day in comprehension]
    return tuple(sorted(found, key=lambda c: (c.on, c.what), reverse=True))


class ConfirmationsTableModel(RecordTableModel[Confirmation]):
    def __init__(self) -> None:
        super().__init__(
            (
                Column("Date", lambda c: c.on.isoformat(), sort_key=lambda c: c.on),
                Column("Confirmation", lambda c: c.what),
            )
        )
