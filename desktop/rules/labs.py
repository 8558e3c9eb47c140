"""Lab monitoring: protocol due dates (baseline, monthly or at peak dose, and rechecks after an
abnormal result) (domain.md §3.3). The analyte catalogue is in `lab_analytes`, result flags
in `lab_flags`; their names are re-exported here for callers that want one import."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desktop.rules.calendar import add_days, add_months
from desktop.rules.cumulative_dose import DosePeriod
from desktop.rules.lab_analytes import (
    PANEL_LABELS,
    TG_MMOL_L_PER_MG_DL,
    Analyte,
    AnalyteResult,
    LabDraw,
    LabPanel,
    LabResults,
    LabUnit,
    tg_mg_dl_to_mmol_l,
    tg_mmol_l_to_mg_dl,
)
from desktop.rules.lab_flags import (
    FLAG_LEVEL_RANK,
    Comparison,
    FlagLevel,
    FlagRule,
    LabFlag,
    ThresholdScale,
    flag_results,
)

__all__ = [
    "FLAG_LEVEL_RANK",
    "PANEL_LABELS",
    "PEAK_DRAW_EARLY_ALLOWANCE_DAYS",
    "TG_MMOL_L_PER_MG_DL",
    "Analyte",
    "AnalyteResult",
    "Comparison",
    "FlagLevel",
    "FlagRule",
    "LabDraw",
    "LabDue",
    "LabDuePurpose",
    "LabFlag",
    "LabPanel",
    "LabProtocol",
    "LabResults",
    "LabUnit",
    "RepeatRule",
    "ThresholdScale",
    "flag_results",
    "labs_due",
    "peak_dose_starts_on",
    "tg_mg_dl_to_mmol_l",
    "tg_mmol_l_to_mg_dl",
]

PEAK_DRAW_EARLY_ALLOWANCE_DAYS = 7
"""Clinic policy [P]: a draw up to 7 days before the peak-dose due date counts as the peak
repeat (domain.md §3.3 gives the due date only)."""


class RepeatRule(StrEnum):
    """How a protocol repeats after baseline (domain.md §3.3)."""

    MONTHLY = "monthly"
    """Every calendar month: next due = previous draw + 1 month (§8 M1)."""
    PEAK_DOSE = "peak_dose"
    """Once, a set number of days after the first day of the highest planned daily dose."""


class LabDuePurpose(StrEnum):
    BASELINE = "baseline"
    REPEAT = "repeat"
    RECHECK = "recheck"
    """After an abnormal result, under a protocol that repeats "only if abnormal" (§3.3)."""


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
    abnormal_recheck_days: int | None = None
    """Clinic policy [P] from the protocol file: days from a draw whose result asks for a
    recheck (`FlagRule.recheck`) to the recheck (minimal-peak: "more only if abnormal",
    domain.md §3.3, §3.4). None: the protocol's own repeats are the rechecks."""


@dataclass(frozen=True, slots=True)
class LabDue:
    panel: LabPanel
    due_on: date
    purpose: LabDuePurpose
    window_opens: date | None = None
    """Baseline: the first day a draw counts (start − protocol days)."""
    recheck_of: date | None = None
    """Recheck: the draw whose result asked for it, and the analytes that did."""
    recheck_for: tuple[Analyte, ...] = ()


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
    """The protocol's own next draw or a recheck after an abnormal result, whichever is
    due first."""
    own = [d for d in draws if d.panel is panel]
    dates = sorted(d.drawn_on for d in own)
    opens = add_days(start_on, -protocol.baseline_days_before_start)
    if not any(day >= opens for day in dates):
        return LabDue(panel, start_on, LabDuePurpose.BASELINE, opens)
    found = [d for d in (_repeat(protocol, panel, dates, peak_on), _recheck(protocol, own)) if d]
    return min(found, key=lambda d: d.due_on, default=None)


def _repeat(
    protocol: LabProtocol, panel: LabPanel, dates: list[date], peak_on: date | None
) -> LabDue | None:
    if protocol.repeat is RepeatRule.MONTHLY:
        return LabDue(panel, add_months(dates[-1], 1), LabDuePurpose.REPEAT)
    if peak_on is None or protocol.peak_repeat_days_after is None:
        return None
    due_on = add_days(peak_on, protocol.peak_repeat_days_after)
    counts_from = add_days(due_on, -PEAK_DRAW_EARLY_ALLOWANCE_DAYS)
    if any(day >= counts_from for day in dates):
        return None
    return LabDue(panel, due_on, LabDuePurpose.REPEAT)


def _recheck(protocol: LabProtocol, draws: list[LabDraw]) -> LabDue | None:
    """A recheck `abnormal_recheck_days` after the panel's latest draw, when a result of
    that draw asks for one; any later draw of the panel is the recheck (§3.3, §3.4)."""
    if protocol.abnormal_recheck_days is None or not draws:
        return None
    last_on = max(d.drawn_on for d in draws)
    flags = [
        flag
        for draw in draws
        if draw.drawn_on == last_on
        for flag in flag_results(draw, protocol.flag_rules)
        if flag.recheck
    ]
    if not flags:
        return None
    return LabDue(
        draws[0].panel,
        add_days(last_on, protocol.abnormal_recheck_days),
        LabDuePurpose.RECHECK,
        recheck_of=last_on,
        recheck_for=tuple(dict.fromkeys(f.analyte for f in flags)),
    )
