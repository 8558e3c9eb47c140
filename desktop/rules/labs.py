"""Lab monitoring: protocol due dates (baseline, monthly or at peak dose) and result flags."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from desktop.rules.calendar import add_days, add_months
from desktop.rules.cumulative_dose import DosePeriod

TG_MMOL_L_PER_MG_DL = Decimal("0.01129")
"""Triglycerides: mg/dL × 0.01129 = mmol/L (domain.md §3.4)."""

PEAK_DRAW_EARLY_ALLOWANCE_DAYS = 7
"""Clinic policy [P]: a draw up to 7 days before the peak-dose due date counts as the peak
repeat (domain.md §3.3 gives the due date only)."""


class LabPanel(StrEnum):
    LFT = "lft"
    LIPIDS = "lipids"
    """Fasting lipid profile including triglycerides (domain.md §3.1)."""
    CBC = "cbc"


PANEL_LABELS = {
    LabPanel.LFT: "liver function tests",
    LabPanel.LIPIDS: "fasting lipid profile (no alcohol for 36 hours before)",
    LabPanel.CBC: "complete blood count",
}
"""Fasting and the 36-hour alcohol rule: domain.md §3.1."""


class RepeatRule(StrEnum):
    """How a protocol repeats after baseline (domain.md §3.3)."""

    MONTHLY = "monthly"
    """Every calendar month: next due = previous draw + 1 month (§8 M1)."""
    PEAK_DOSE = "peak_dose"
    """Once, a set number of days after the first day of the highest planned daily dose."""


class LabDuePurpose(StrEnum):
    BASELINE = "baseline"
    REPEAT = "repeat"


class Analyte(StrEnum):
    TRIGLYCERIDES = "triglycerides"
    ALT = "alt"
    AST = "ast"


class ThresholdScale(StrEnum):
    MG_DL = "mg_dl"
    TIMES_ULN = "times_uln"
    """Multiples of the lab's own upper limit of normal (domain.md §3.4)."""


class Comparison(StrEnum):
    AT_LEAST = "at_least"
    ABOVE = "above"


class FlagLevel(StrEnum):
    """The wording of domain.md §3.4; `FLAG_LEVEL_RANK` orders them."""

    INFO = "info"
    ALERT = "alert"
    URGENT = "urgent"


FLAG_LEVEL_RANK = {FlagLevel.INFO: 1, FlagLevel.ALERT: 2, FlagLevel.URGENT: 3}


@dataclass(frozen=True, slots=True)
class FlagRule:
    """One threshold from a protocol file (domain.md §3.4, configurable clinic policy)."""

    analyte: Analyte
    comparison: Comparison
    threshold: Decimal
    scale: ThresholdScale
    level: FlagLevel
    message: str

    def matches(self, value: Decimal) -> bool:
        if self.comparison is Comparison.AT_LEAST:
            return value >= self.threshold
        return value > self.threshold


@dataclass(frozen=True, slots=True)
class LabProtocol:
    """A clinic-selectable monitoring protocol, loaded from resources (domain.md §3.3)."""

    name: str
    title: str
    baseline_days_before_start: int
    panels: tuple[LabPanel, ...]
    optional_panels: tuple[LabPanel, ...]
    """Drawn only when the clinic ticks them (CBC in clinic-monthly, §3.3)."""
    repeat: RepeatRule
    peak_repeat_days_after: int | None
    flag_rules: tuple[FlagRule, ...]


@dataclass(frozen=True, slots=True)
class LabResults:
    """Values as reported. Triglycerides in either unit; ALT/AST with the lab's own ULN."""

    triglycerides_mg_dl: Decimal | None = None
    triglycerides_mmol_l: Decimal | None = None
    alt_u_l: Decimal | None = None
    alt_uln_u_l: Decimal | None = None
    ast_u_l: Decimal | None = None
    ast_uln_u_l: Decimal | None = None


@dataclass(frozen=True, slots=True)
class LabDraw:
    drawn_on: date
    panel: LabPanel
    results: LabResults = LabResults()


@dataclass(frozen=True, slots=True)
class LabDue:
    panel: LabPanel
    due_on: date
    purpose: LabDuePurpose
    window_opens: date | None = None
    """Baseline: the first day a draw counts (start − protocol days)."""


@dataclass(frozen=True, slots=True)
class LabFlag:
    drawn_on: date
    analyte: Analyte
    level: FlagLevel
    message: str


def tg_mg_dl_to_mmol_l(mg_dl: Decimal) -> Decimal:
    return mg_dl * TG_MMOL_L_PER_MG_DL


def tg_mmol_l_to_mg_dl(mmol_l: Decimal) -> Decimal:
    return mmol_l / TG_MMOL_L_PER_MG_DL


def peak_dose_starts_on(periods: Sequence[DosePeriod]) -> date | None:
    """First day of the highest planned daily dose (domain.md §3.3 minimal-peak)."""
    if not periods:
        return None
    highest = max(p.mg_per_day for p in periods)
    return min(p.starts_on for p in periods if p.mg_per_day == highest)


def labs_due(
    protocol: LabProtocol,
    *,
    start_on: date,
    end_on: date | None,
    draws: Sequence[LabDraw],
    dose_periods: Sequence[DosePeriod],
    on: date,
    include_optional_panels: bool = False,
) -> tuple[LabDue, ...]:
    """The next draw due for each panel, judged with the draws known on `on` (domain.md
    §3.3). Nothing is due after the last dose: labs are not repeated after treatment (§3.2)."""
    if end_on is not None and end_on < on:
        return ()
    panels = protocol.panels + (protocol.optional_panels if include_optional_panels else ())
    known = [d for d in draws if d.drawn_on <= on]
    peak_on = peak_dose_starts_on(dose_periods)
    found = (_next_due(protocol, panel, start_on, known, peak_on) for panel in panels)
    due = [d for d in found if d is not None and (end_on is None or d.due_on <= end_on)]
    return tuple(sorted(due, key=lambda d: (d.due_on, d.panel)))


def _next_due(
    protocol: LabProtocol,
    panel: LabPanel,
    start_on: date,
    draws: Sequence[LabDraw],
    peak_on: date | None,
) -> LabDue | None:
    dates = sorted(d.drawn_on for d in draws if d.panel is panel)
    opens = add_days(start_on, -protocol.baseline_days_before_start)
    if not any(day >= opens for day in dates):
        return LabDue(panel, start_on, LabDuePurpose.BASELINE, opens)
    if protocol.repeat is RepeatRule.MONTHLY:
        return LabDue(panel, add_months(dates[-1], 1), LabDuePurpose.REPEAT)
    if peak_on is None or protocol.peak_repeat_days_after is None:
        return None
    due_on = add_days(peak_on, protocol.peak_repeat_days_after)
    counts_from = add_days(due_on, -PEAK_DRAW_EARLY_ALLOWANCE_DAYS)
    if any(day >= counts_from for day in dates):
        return None
    return LabDue(panel, due_on, LabDuePurpose.REPEAT)


def flag_results(draw: LabDraw, rules: Sequence[FlagRule]) -> tuple[LabFlag, ...]:
    """The highest matching flag per analyte (domain.md §3.4). ALT and AST are judged only
    against the ULN reported with the result; without one, the nurse is asked for it."""
    flags: list[LabFlag] = []
    for analyte, value in _scaled_values(draw.results).items():
        if value is None:
            flags.append(LabFlag(draw.drawn_on, analyte, FlagLevel.INFO, _missing_uln(analyte)))
            continue
        matching = [r for r in rules if r.analyte is analyte and r.matches(value)]
        if matching:
            rule = max(matching, key=lambda r: FLAG_LEVEL_RANK[r.level])
            flags.append(LabFlag(draw.drawn_on, analyte, rule.level, rule.message))
    return tuple(flags)


def _scaled_values(results: LabResults) -> dict[Analyte, Decimal | None]:
    """Each reported analyte on the scale its thresholds use; None = ULN missing."""
    values: dict[Analyte, Decimal | None] = {}
    if results.triglycerides_mg_dl is not None:
        values[Analyte.TRIGLYCERIDES] = results.triglycerides_mg_dl
    elif results.triglycerides_mmol_l is not None:
        values[Analyte.TRIGLYCERIDES] = tg_mmol_l_to_mg_dl(results.triglycerides_mmol_l)
    for analyte, value, uln in (
        (Analyte.ALT, results.alt_u_l, results.alt_uln_u_l),
        (Analyte.AST, results.ast_u_l, results.ast_uln_u_l),
    ):
        if value is not None:
            values[analyte] = value / uln if uln else None
    return values


def _missing_uln(analyte: Analyte) -> str:
    return (
        f"{analyte.upper()} was recorded without the lab's upper limit of normal; enter it "
        "from the lab report so the result can be judged."
    )
