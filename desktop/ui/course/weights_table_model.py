"""The dose panel's weights: the day weighed and the weight in kg and in lb."""

from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import Qt

from desktop.rules.cumulative_dose import WeightEntry
from desktop.rules.units import DISPLAY_WEIGHT_PLACES, kg_to_lb
from desktop.ui.table_model import Column, RecordTableModel

_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def tenths(value: Decimal) -> str:
    """Weights are shown to 0.1, half up (rules.units DISPLAY_WEIGHT_PLACES)."""
    return str(value.quantize(DISPLAY_WEIGHT_PLACES, rounding=ROUND_HALF_UP))


WEIGHT_COLUMNS: tuple[Column[WeightEntry], ...] = (
    Column("Weighed on", lambda w: w.measured_on.isoformat(), sort_key=lambda w: w.measured_on),
    Column("kg", lambda w: tenths(w.weight_kg), sort_key=lambda w: w.weight_kg, align=_RIGHT),
    Column(
        "lb", lambda w: tenths(kg_to_lb(w.weight_kg)), sort_key=lambda w: w.weight_kg, align=_RIGHT
    ),
)


class WeightsTableModel(RecordTableModel[WeightEntry]):
    def __init__(self) -> None:
        super().__init__(WEIGHT_COLUMNS)
