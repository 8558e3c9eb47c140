"""Every consent signature on record, newest first: one voided by a correction or as recorded
in error stays listed, struck through, with who voided it, when and why (issue 6, item 11)."""

from zoneinfo import ZoneInfo

from desktop.services.consents import CONSENT_FORM_TITLES, ConsentSignatureRecord
from desktop.ui.signed_records_table_model import SignedRecordsTableModel, status_words
from desktop.ui.table_model import Column


def _or_dash(text: str) -> str:
    return text or "—"


class ConsentSignaturesTableModel(SignedRecordsTableModel[ConsentSignatureRecord]):
    """Times in the clinic's time zone. Voided rows are struck through and grey, except
    their status, which says why."""

    def __init__(self, time_zone: ZoneInfo) -> None:
        def recorded(r: ConsentSignatureRecord) -> str:
            when = (
                ""
                if r.recorded_at is None
                else f"{r.recorded_at.astimezone(time_zone):%Y-%m-%d %H:%M} "
            )
            return f"{when}{r.recorded_by_name}"

        super().__init__(
            (
                Column("Form", lambda r: CONSENT_FORM_TITLES[r.form]),
                Column("Signed", lambda r: r.signed_on.isoformat(), sort_key=lambda r: r.signed_on),
                Column("Version", lambda r: r.template_version),
                Column("Guardian", lambda r: _or_dash(r.guardian_name)),
                Column("Prescriber", lambda r: _or_dash(r.prescriber_name)),
                Column("Witness", lambda r: _or_dash(r.witness_name)),
                Column("Recorded", recorded),
                Column("Status", lambda r: status_words(r, time_zone)),
            ),
            is_voided=lambda r: r.voided is not None,
        )
