"""Lab orders and results: values with their units and the lab's reference range, and the
protocol's flags in the row, coloured by level (domain.md §3.4)."""

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from desktop.rules.lab_analytes import SPECS, AnalyteResult, range_text, value_text
from desktop.rules.labs import FLAG_LEVEL_RANK, FlagLevel, LabFlag, LabPanel
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
NO_RANGE = "no range given"


def result_text(result: AnalyteResult) -> str:
    """ "ALT 52 U/L, lab's range 7–40": the value as typed with its unit, and the reference
    range the lab printed (in the same unit)."""
    reference = range_text(result)
    reference = f"lab's range {reference}" if reference else NO_RANGE
    return f"{SPECS[result.analyte].name} {value_text(result)}, {reference}"


def results_text(record: LabRecord) -> str:
    return "\n".join(result_text(r) for r in record.results.values)


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
                Column("Results", results_text),
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
