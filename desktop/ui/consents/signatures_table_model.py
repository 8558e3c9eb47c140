"""Every consent signature on record, newest first: one voided by a correction or as recorded
in error stays listed, struck through, with who voided it, when and why (issue 6, item 11)."""

from typing import Any
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.services.consents import CONSENT_FORM_TITLES, ConsentSignatureRecord
from desktop.services.records import VoidRecord
from desktop.ui.table_model import AnyIndex, Column, RecordTableModel

VOIDED_COLOUR = "#52606d"
"""The style sheet's grey for hints (resources/styles/app.qss): still readable."""
STANDS = "Valid"
CORRECTS = "Valid (corrects an earlier entry)"


def void_words(voided: VoidRecord, time_zone: ZoneInfo) -> str:
    """ "Voided 2026-11-20 10:30 by Nina Nurse: the form is dated 18 Nov"."""
    local = voided.voided_at.astimezone(time_zone)
    return f"Voided {local:%Y-%m-%d %H:%M} by {voided.voided_by_name}: {voided.reason}"


def status_words(record: ConsentSignatureRecord, time_zone: ZoneInfo) -> str:
    if record.voided is not None:
        corrected = "; replaced by a correction" if record.replaced_by_id is not None else ""
        return void_words(record.voided, time_zone) + corrected
    return CORRECTS if record.replaces_id is not None else STANDS


def _or_dash(text: str) -> str:
    return text or "—"


class ConsentSignaturesTableModel(RecordTableModel[ConsentSignatureRecord]):
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
            )
        )
        self._status_column = self.columnCount() - 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        voided = (
            index.isValid()
            and index.row() < self.rowCount()
            and self.record_at(index.row()).voided is not None
        )
        if voided and role == Qt.ItemDataRole.FontRole and index.column() != self._status_column:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if voided and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(VOIDED_COLOUR))
        return super().data(index, role)
