"""The forms a patient needs now: signed (when, which version, who signed) or missing."""

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from desktop.rules.consents import SignerRole
from desktop.services.consents import ConsentNeed
from desktop.ui.table_model import AnyIndex, Column, RecordTableModel

MISSING = "Missing"
MISSING_COLOUR = "#b42318"
"""The style sheet's red (resources/styles/app.qss): a missing form blocks the first
prescription."""
SIGNER_WORDS = {
    SignerRole.PATIENT: "patient",
    SignerRole.GUARDIAN: "guardian",
    SignerRole.PRESCRIBER: "prescriber",
    SignerRole.WITNESS: "witness",
}


def spoken_list(words: list[str]) -> str:
    """ "patient, guardian and prescriber"."""
    return " and ".join(filter(None, (", ".join(words[:-1]), words[-1])))


def signers_text(need: ConsentNeed) -> str:
    """ "the patient, the guardian and the prescriber"."""
    return spoken_list([f"the {SIGNER_WORDS[s]}" for s in need.signers])


def version_text(need: ConsentNeed) -> str:
    if need.signed is None:
        return f"(latest {need.latest_version})"
    if need.signed.template_version != need.latest_version:
        return f"{need.signed.template_version} (newer: {need.latest_version})"
    return need.signed.template_version


def _signed(need: ConsentNeed, field: str) -> str:
    return "" if need.signed is None else getattr(need.signed, field) or "—"


class ConsentsTableModel(RecordTableModel[ConsentNeed]):
    def __init__(self) -> None:
        super().__init__(
            (
                Column("Form", lambda n: n.title),
                Column(
                    "Signed",
                    lambda n: n.signed.signed_on.isoformat() if n.signed else MISSING,
                ),
                Column("Version", version_text),
                Column("Guardian", lambda n: _signed(n, "guardian_name")),
                Column("Prescriber", lambda n: _signed(n, "prescriber_name")),
                Column("Witness", lambda n: _signed(n, "witness_name")),
            )
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            is_missing = (
                index.row() < self.rowCount() and self.record_at(index.row()).signed is None
            )
            return QBrush(QColor(MISSING_COLOUR)) if is_missing else None
        return super().data(index, role)
