"""Demo lab results: every analyte of the panel with its unit and the reporting laboratory's own
reference range, as the lab dialog records them (domain.md §3.4: "always store the lab's own
reference range"). Values differ per patient and drift on treatment as isotretinoin moves them
(triglycerides up, HDL down, §3.1); a few draws are abnormal on purpose."""

import random
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from desktop.rules.lab_analytes import (
    PANEL_ANALYTES,
    SPECS,
    TG_MMOL_L_PER_MG_DL,
    Analyte,
    AnalyteResult,
    LabPanel,
    LabResults,
    LabUnit,
)
from desktop.services.labs import results_to_json

MG_DL_PER_MMOL_L_CHOLESTEROL = Decimal("38.67")
UMOL_L_PER_MG_DL_BILIRUBIN = Decimal("17.1")
RISE_FULL_BY_DAYS = 56
"""Treatment's effect on lipids and liver enzymes builds over about two months (§3.2)."""


@dataclass(frozen=True, slots=True)
class Laboratory:
    """How one laboratory reports: its unit per analyte and its range, as printed."""

    units: Mapping[Analyte, LabUnit]
    ranges: Mapping[Analyte, tuple[str | None, str | None]]


_US_UNITS = dict.fromkeys(PANEL_ANALYTES[LabPanel.LIPIDS], LabUnit.MG_DL) | {
    Analyte.ALT: LabUnit.U_L,
    Analyte.AST: LabUnit.U_L,
    Analyte.ALP: LabUnit.U_L,
    Analyte.TOTAL_BILIRUBIN: LabUnit.MG_DL,
}
_SI_UNITS = dict.fromkeys(PANEL_ANALYTES[LabPanel.LIPIDS], LabUnit.MMOL_L) | {
    Analyte.ALT: LabUnit.U_L,
    Analyte.AST: LabUnit.U_L,
    Analyte.ALP: LabUnit.U_L,
    Analyte.TOTAL_BILIRUBIN: LabUnit.UMOL_L,
}
LABORATORIES = (
    Laboratory(
        _US_UNITS,
        {
            Analyte.ALT: ("7", "40"),
            Analyte.AST: ("10", "40"),
            Analyte.ALP: ("40", "129"),
            Analyte.TOTAL_BILIRUBIN: ("0.2", "1.2"),
            Analyte.TOTAL_CHOLESTEROL: (None, "199"),
            Analyte.LDL: (None, "129"),
            Analyte.HDL: ("40", None),
            Analyte.TRIGLYCERIDES: (None, "149"),
        },
    ),
    Laboratory(
        _US_UNITS,
        {
            Analyte.ALT: ("0", "44"),
            Analyte.AST: ("0", "40"),
            Analyte.ALP: ("44", "121"),
            Analyte.TOTAL_BILIRUBIN: ("0.0", "1.2"),
            Analyte.TOTAL_CHOLESTEROL: ("100", "199"),
            Analyte.LDL: ("0", "129"),
            Analyte.HDL: ("39", None),
            Analyte.TRIGLYCERIDES: ("0", "149"),
        },
    ),
    Laboratory(
        _SI_UNITS,
        {
            Analyte.ALT: ("0", "45"),
            Analyte.AST: ("0", "35"),
            Analyte.ALP: ("30", "130"),
            Analyte.TOTAL_BILIRUBIN: ("3", "21"),
            Analyte.TOTAL_CHOLESTEROL: (None, "5.2"),
            Analyte.LDL: (None, "3.4"),
            Analyte.HDL: ("1.0", None),
            Analyte.TRIGLYCERIDES: (None, "1.7"),
        },
    ),
)
LABORATORY_WEIGHTS = (45, 40, 15)


class LabEvent(StrEnum):
    """A deliberately abnormal draw (domain.md §3.4)."""

    TG_ALERT = "tg_alert"
    """Triglycerides 500–700 mg/dL: alert, dose cut, recheck sooner."""
    ALT_ALERT = "alt_alert"
    """ALT above 3 × the lab's upper limit: alert, dose cut, recheck."""
    ALT_ABOVE_RANGE = "alt_above_range"
    """ALT 1.2–2.4 × the upper limit: info, recheck."""


ALERTS = frozenset({LabEvent.TG_ALERT, LabEvent.ALT_ALERT})
EVENT_PANELS = {
    LabEvent.TG_ALERT: LabPanel.LIPIDS,
    LabEvent.ALT_ALERT: LabPanel.LFT,
    LabEvent.ALT_ABOVE_RANGE: LabPanel.LFT,
}


@dataclass(frozen=True, slots=True)
class LabResult:
    """One panel drawn: its `results_json` column and, for an event, what a prescriber would
    call the finding ("Triglycerides 560 mg/dL")."""

    results_json: str
    finding: str = ""


class LabProfile:
    """One patient's values at one laboratory, before and on treatment."""

    def __init__(self, rng: random.Random) -> None:
        self.laboratory = rng.choices(LABORATORIES, LABORATORY_WEIGHTS)[0]
        self._base = {
            Analyte.ALT: rng.uniform(10, 30),
            Analyte.AST: rng.uniform(12, 28),
            Analyte.ALP: rng.uniform(50, 110),
            Analyte.TOTAL_BILIRUBIN: rng.uniform(0.3, 0.9),
            Analyte.TOTAL_CHOLESTEROL: rng.uniform(135, 190),
            Analyte.LDL: rng.uniform(55, 115),
            Analyte.HDL: rng.uniform(42, 68),
            Analyte.TRIGLYCERIDES: rng.uniform(55, 125),
        }
        tg_rise = min(2.2, max(0.95, rng.gauss(1.35, 0.3)))
        self._rise = {
            Analyte.ALT: rng.uniform(1, 1.25),
            Analyte.TOTAL_CHOLESTEROL: rng.uniform(1, 1.12),
            Analyte.LDL: rng.uniform(1, 1.12),
            Analyte.HDL: rng.uniform(0.85, 1),
            Analyte.TRIGLYCERIDES: tg_rise,
        }
        self._limits = {
            a: (_limit(low), _limit(high)) for a, (low, high) in self.laboratory.ranges.items()
        }

    def draw(
        self,
        rng: random.Random,
        panel: LabPanel,
        days_on_treatment: int,
        event: LabEvent | None = None,
    ) -> LabResult:
        """The panel's results; after an event's recheck pass `days_on_treatment` as it is,
        the values are drawn back within range."""
        ramp = min(1.0, max(0, days_on_treatment) / RISE_FULL_BY_DAYS)
        values, finding = [], ""
        for analyte in PANEL_ANALYTES[panel]:
            unit = self.laboratory.units.get(analyte)
            if unit is None:
                continue
            number = self._number(analyte, self._value(rng, analyte, ramp, event))
            if (
                event is not None
                and EVENT_PANELS[event] is panel
                and _event_analyte(event) is analyte
            ):
                finding = f"{SPECS[analyte].name} {number} {unit.value}"
            values.append(AnalyteResult(analyte, number, unit, *self._limits[analyte]))
        return LabResult(results_to_json(LabResults(values)), finding)

    def _value(
        self, rng: random.Random, analyte: Analyte, ramp: float, event: LabEvent | None
    ) -> float:
        if event is not None and _event_analyte(event) is analyte:
            return self._abnormal(rng, event)
        rise = 1 + (self._rise.get(analyte, 1) - 1) * ramp
        value = self._base[analyte] * rise * rng.gauss(1, 0.08)
        if analyte in (Analyte.ALT, Analyte.AST):  # kept in range: only events ask for rechecks
            value = min(value, 0.95 * self._upper_in_us(analyte))
        return value

    def _abnormal(self, rng: random.Random, event: LabEvent) -> float:
        if event is LabEvent.TG_ALERT:
            return rng.uniform(510, 690)
        upper = self._upper_in_us(Analyte.ALT)
        return upper * (
            rng.uniform(3.2, 4.4) if event is LabEvent.ALT_ALERT else rng.uniform(1.2, 2.4)
        )

    def recovered(self) -> None:
        """After a dose cut and a diet the values settle back within range."""
        self._rise[Analyte.TRIGLYCERIDES] = 1.0
        self._rise[Analyte.ALT] = 1.0

    def _upper_in_us(self, analyte: Analyte) -> float:
        upper = self.laboratory.ranges[analyte][1]
        assert upper is not None
        return float(Decimal(upper) / _to_us_factor(analyte, self.laboratory.units[analyte]))

    def _number(self, analyte: Analyte, value_in_us: float) -> Decimal:
        unit = self.laboratory.units[analyte]
        value = Decimal(str(value_in_us)) * _to_us_factor(analyte, unit)
        return value.quantize(_PLACES.get((analyte, unit), Decimal(1)))


_PLACES = {
    (Analyte.TOTAL_BILIRUBIN, LabUnit.MG_DL): Decimal("0.1"),
    (Analyte.TOTAL_CHOLESTEROL, LabUnit.MMOL_L): Decimal("0.1"),
    (Analyte.LDL, LabUnit.MMOL_L): Decimal("0.1"),
    (Analyte.HDL, LabUnit.MMOL_L): Decimal("0.1"),
    (Analyte.TRIGLYCERIDES, LabUnit.MMOL_L): Decimal("0.01"),
}


def _limit(printed: str | None) -> Decimal | None:
    return None if printed is None else Decimal(printed)


def _event_analyte(event: LabEvent) -> Analyte:
    return Analyte.TRIGLYCERIDES if event is LabEvent.TG_ALERT else Analyte.ALT


def _to_us_factor(analyte: Analyte, unit: LabUnit) -> Decimal:
    """Multiply a value in US units (mg/dL, U/L) by this to get it in `unit`."""
    if unit is LabUnit.MMOL_L:
        if analyte is Analyte.TRIGLYCERIDES:
            return TG_MMOL_L_PER_MG_DL
        return 1 / MG_DL_PER_MMOL_L_CHOLESTEROL
    if unit is LabUnit.UMOL_L:
        return UMOL_L_PER_MG_DL_BILIRUBIN
    return Decimal(1)
