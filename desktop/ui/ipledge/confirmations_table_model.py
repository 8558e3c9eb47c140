"""Counselling confirmations and comprehension answers, one dated line each. A counselling
confirmation is signed, so one voided by a correction or as recorded in error stays listed,
struck through, with who voided it, when and why (issue 6, item 11)."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from zoneinfo import ZoneInfo

from desktop.services.records import CounselingConfirmationRecord
from desktop.ui.signed_records_table_model import SignedRecordsTableModel, status_words
from desktop.ui.table_model import Column

COUNSELING_CONFIRMED = "Prescriber confirmed counselling in iPLEDGE"
COMPREHENSION_ANSWERED = "Patient answered the comprehension questions"
NOT_SIGNED = "—"
"""A comprehension answer is recorded, not signed: it has no signer and is never voided."""


@dataclass(frozen=True, slots=True)
class Confirmation:
    on: date
    what: str
    counseling: CounselingConfirmationRecord | None = None
    """The signed record behind a counselling line; None for a comprehension answer."""

    @property
    def is_voided(self) -> bool:
        return self.counseling is not None and not self.counseling.counts

    @property
    def correctable(self) -> CounselingConfirmationRecord | None:
        """The signed confirmation a prescriber may correct from this line: a standing one."""
        return self.counseling if self.counseling is not None and not self.is_voided else None


def confirmations(
    counseling: Sequence[CounselingConfirmationRecord], comprehension: Sequence[date]
) -> tuple[Confirmation, ...]:
    """Both kinds together, newest first; on one day the later signature first."""
    found = [Confirmation(c.confirmed_on, COUNSELING_CONFIRMED, c) for c in counseling]
    found += [Confirmation(day, COMPREHENSION_ANSWERED) for day in comprehension]
    return tuple(
        sorted(
            found,
            key=lambda c: (c.on, c.what, c.counseling.id if c.counseling else 0),
            reverse=True,
        )
    )


def signed_words(confirmation: Confirmation, time_zone: ZoneInfo) -> str:
    """ "2026-11-20 10:30 Dr Priya Park": when the prescriber signed, in the clinic's time."""
    signed = confirmation.counseling
    if signed is None:
        return NOT_SIGNED
    return f"{signed.recorded_at.astimezone(time_zone):%Y-%m-%d %H:%M} {signed.prescriber_name}"


def _status_words(confirmation: Confirmation, time_zone: ZoneInfo) -> str:
    """A counselling confirmation's status as a consent signature's is worded."""
    signed = confirmation.counseling
    return NOT_SIGNED if signed is None else status_words(signed, time_zone)


class ConfirmationsTableModel(SignedRecordsTableModel[Confirmation]):
    """Times in the clinic's time zone. Voided rows are struck through and grey, except
    their status, which says why."""

    def __init__(self, time_zone: ZoneInfo) -> None:
        super().__init__(
            (
                Column("Date", lambda c: c.on.isoformat(), sort_key=lambda c: c.on),
                Column("Confirmation", lambda c: c.what),
                Column("Signed", lambda c: signed_words(c, time_zone)),
                Column("Status", lambda c: _status_words(c, time_zone)),
            ),
            is_voided=lambda c: c.is_voided,
        )
