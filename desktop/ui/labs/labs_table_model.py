"""Lab orders and results: values with their units and the lab's reference range, and the
protocol's flags in the row, coloured by level (domain.md §3.4)."""

from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from desktop.rules.labs import (
    FLAG_LEVEL_RANK,
    FlagLevel,
    LabFlag,
    LabPanel,
    LabResults,
    tg_mmol_l_to_mg_dl,
)
from desktop.services.labs import LabRecord
from desktop.ui.table_model import AnyIndex, Column, RecordTableModel

PANEL_NAMES = {
    LabPanel.LFT: "Liver function tests",
    LabPanel.LIPIDS: "Fasting lipids",
    LabPanel.CBC: "Complete blood count",
}
"""Short names for the table; the dialog and the due list use rules.labs.PANEL_LABELS."""
LEVEL_WORDS = {FlagLevel.URGENT: "URGENT", FlagLevel.ALERT: "Alert", FlagLevel.INFO: "Info"}
ROW_TONES = {
    FlagLevel.URGENT: ("#fde8e7", "#b42318"),
    FlagLevel.ALERT: ("#fdf0d5", "#7a4b00"),
    FlagLevel.INFO: ("#eef4fb", "#1f2933"),
}
"""Background and text per level, the style sheet's red and amber (resources/styles/app.qss)."""
NOT_DRAWN = "Not drawn yet"
NO_UPPER_LIMIT = "no upper limit given"


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def triglycerides_text(results: LabResults) -> str:
    if results.triglycerides_mg_dl is not None:
        return f"{_number(results.triglycerides_mg_dl)} mg/dL"
    if results.triglycerides_mmol_l is not None:
        mg_dl = tg_mmol_l_to_mg_dl(results.triglycerides_mmol_l).quantize(Decimal(1))
        return f"{_number(results.triglycerides_mmol_l)} mmol/L (≈ {mg_dl} mg/dL)"
    return ""


def enzyme_text(value: Decimal | None, uln: Decimal | None) -> str:
    """ "52 U/L (normal ≤ 40)": the lab's own upper limit as the reference range."""
    if value is None:
        return ""
    reference = f"normal ≤ {_number(uln)}" if uln else NO_UPPER_LIMIT
    return f"{_number(value)} U/L ({reference})"


def ordered_flags(record: LabRecord) -> tuple[LabFlag, ...]:
    return tuple(sorted(record.flags, key=lambda f: -FLAG_LEVEL_RANK[f.level]))


def flags_text(record: LabRecord) -> str:
    return "\n".join(f"{LEVEL_WORDS[f.level]}: {f.message}" for f in ordered_flags(record))


def top_level(record: LabRecord) -> FlagLevel | None:
    flags = ordered_flags(record)
    return flags[0].level if flags else None


class LabsTableModel(RecordTableModel[LabRecord]):
    """A flagged row is tinted by its most serious flag, so an urgent result stands out in
    a long course."""

    def __init__(self) -> None:
        super().__init__(
            (
                Column("Panel", lambda r: PANEL_NAMES[r.panel]),
                Column(
                    "Ordered",
                    lambda r: r.ordered_on.isoformat() if r.ordered_on else "—",
                    sort_key=lambda r: r.ordered_on or r.drawn_on,
                ),
                Column(
                    "Drawn",
                    lambda r: r.drawn_on.isoformat() if r.drawn_on else NOT_DRAWN,
                    sort_key=lambda r: r.drawn_on or r.ordered_on,
                ),
                Column("Triglycerides", lambda r: triglycerides_text(r.results)),
                Column("ALT", lambda r: enzyme_text(r.results.alt_u_l, r.results.alt_uln_u_l)),
                Column("AST", lambda r: enzyme_text(r.results.ast_u_l, r.results.ast_uln_u_l)),
                Column("Flags", flags_text, tooltip=flags_text),
            )
        )

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        tone_roles = (Qt.ItemDataRole.BackgroundRole, Qt.ItemDataRole.ForegroundRole)
        if role in tone_roles and index.isValid() and index.row() < self.rowCount():
            level = top_level(self.record_at(index.row()))
            if level is None:
                return None
            background, text = ROW_TONES[level]
            colour = background if role == Qt.ItemDataRole.BackgroundRole else text
            return QBrush(QColor(colour))
        return super().data(index, role)
