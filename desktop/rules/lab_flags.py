"""Lab result flags (domain.md §3.4): the protocol's thresholds, judged against the lab's own
reference range wherever the result carries one; and which flags still stand on a day."""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from desktop.rules.lab_analytes import (
    SPECS,
    UNIT_LABELS,
    Analyte,
    AnalyteResult,
    LabDraw,
    LabUnit,
    range_text,
    tg_mmol_l_to_mg_dl,
    value_text,
)


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

OUTSIDE_RANGE_LEVEL = FlagLevel.INFO
"""Clinic policy [P]: an analyte the protocol sets no §3.4 threshold for (ALP, bilirubin,
cholesterol, LDL, HDL, the blood count) is flagged only when it falls outside the reference
range its own lab printed, and then as info for the prescriber's review. There is no
built-in "normal" for these: ranges differ between labs, ages and sexes."""


@dataclass(frozen=True, slots=True)
class FlagRule:
    """One threshold from a protocol file (domain.md §3.4, configurable clinic policy)."""

    analyte: Analyte
    comparison: Comparison
    threshold: Decimal
    scale: ThresholdScale
    level: FlagLevel
    message: str
    stands_for_upper_limit: bool = False
    """The threshold is the usual upper limit of normal (TG 150 mg/dL): a result that
    carries the lab's own upper limit is judged against that limit instead (issue 3: "always
    relative to the lab's own upper limit where the result carries one")."""
    recheck: bool = False
    """§3.4 asks for a recheck; a protocol that repeats "only if abnormal" schedules one."""

    def matches(self, value: Decimal) -> bool:
        if self.comparison is Comparison.AT_LEAST:
            return value >= self.threshold
        return value > self.threshold


@dataclass(frozen=True, slots=True)
class LabFlag:
    drawn_on: date
    analyte: Analyte
    level: FlagLevel
    message: str
    recheck: bool = False
    """The rule that raised it asks for a recheck (`FlagRule.recheck`)."""


def flag_results(draw: LabDraw, rules: Sequence[FlagRule]) -> tuple[LabFlag, ...]:
    """The highest matching flag per analyte (domain.md §3.4). ALT and AST are judged only
    against the upper limit reported with the result; without one, the nurse is asked for
    it. An analyte without a threshold is judged by the lab's own range alone
    (`OUTSIDE_RANGE_LEVEL`)."""
    flags = []
    for result in draw.results.values:
        own = [r for r in rules if r.analyte is result.analyte]
        flag = _by_threshold(draw.drawn_on, result, own) if own else _by_range(draw, result)
        if flag is not None:
            flags.append(flag)
    return tuple(flags)


def _by_threshold(day: date, result: AnalyteResult, rules: list[FlagRule]) -> LabFlag | None:
    matching = []
    for rule in rules:
        if rule.stands_for_upper_limit and result.upper_limit is not None:
            if result.value > result.upper_limit:  # the lab's own limit, in the result's unit
                matching.append(rule)
            continue
        value = _on_scale(result, rule.scale)
        if value is None:
            return LabFlag(day, result.analyte, FlagLevel.INFO, _missing_upper_limit(result))
        if rule.matches(value):
            matching.append(rule)
    if not matching:
        return None
    rule = max(matching, key=lambda r: FLAG_LEVEL_RANK[r.level])
    return LabFlag(day, result.analyte, rule.level, rule.message, rule.recheck)


def _on_scale(result: AnalyteResult, scale: ThresholdScale) -> Decimal | None:
    """The value on the scale a threshold uses; None when the lab's upper limit it needs is
    missing."""
    if scale is ThresholdScale.TIMES_ULN:
        return result.value / result.upper_limit if result.upper_limit else None
    if result.unit is LabUnit.MMOL_L and result.analyte is Analyte.TRIGLYCERIDES:
        return tg_mmol_l_to_mg_dl(result.value)
    if result.unit is LabUnit.MG_DL:
        return result.value
    raise ValueError(f"{result.analyte} in {result.unit} has no mg/dL threshold")


def _by_range(draw: LabDraw, result: AnalyteResult) -> LabFlag | None:
    low, high = result.lower_limit, result.upper_limit
    below = low is not None and result.value < low
    above = high is not None and result.value > high
    if not (below or above):
        return None
    spec = SPECS[result.analyte]
    message = (
        f"{spec.name} {value_text(result)} is outside the lab's reference range "
        f"({range_text(result)} {UNIT_LABELS[result.unit]}): for the prescriber's review "
        "(clinic policy)."
    )
    return LabFlag(draw.drawn_on, result.analyte, OUTSIDE_RANGE_LEVEL, message)


def _missing_upper_limit(result: AnalyteResult) -> str:
    return (
        f"{SPECS[result.analyte].name} was recorded without the lab's upper limit of normal; "
        "enter it from the lab report so the result can be judged."
    )


@dataclass(frozen=True, slots=True)
class StandingFlag:
    """A flag of the latest result of its analyte, with that result."""

    draw: LabDraw
    result: AnalyteResult
    flag: LabFlag


def standing_flags(
    draws: Iterable[LabDraw],
    rules: Sequence[FlagRule],
    *,
    on: date,
    at_least: FlagLevel = FlagLevel.ALERT,
) -> tuple[StandingFlag, ...]:
    """Flags at `at_least` or above that still stand on `on`: each analyte's latest result
    known that day is judged, so a later draw not flagged at that level clears an earlier
    flag. Two results of one analyte on the same day: the more serious one stands."""
    known = [d for d in draws if d.drawn_on <= on]
    last_on: dict[Analyte, date] = {}
    for draw in known:
        for result in draw.results.values:
            last_on[result.analyte] = max(draw.drawn_on, last_on.get(result.analyte, date.min))
    judged: list[tuple[date, int, Analyte, StandingFlag | None]] = []
    for draw in known:
        if all(last_on[r.analyte] != draw.drawn_on for r in draw.results.values):
            continue  # only each analyte's latest results are judged
        flags = {f.analyte: f for f in flag_results(draw, rules)}
        for result in draw.results.values:
            if last_on[result.analyte] != draw.drawn_on:
                continue
            flag = flags.get(result.analyte)
            found = None if flag is None else StandingFlag(draw, result, flag)
            judged.append((draw.drawn_on, _rank(found), result.analyte, found))
    latest: dict[Analyte, StandingFlag | None] = {}
    for _day, _rank_of, analyte, found in sorted(judged, key=lambda j: (j[0], j[1])):
        latest[analyte] = found  # later days, then the more serious of a day, win
    floor = FLAG_LEVEL_RANK[at_least]
    return tuple(s for s in latest.values() if s is not None and _rank(s) >= floor)


def _rank(standing: StandingFlag | None) -> int:
    return 0 if standing is None else FLAG_LEVEL_RANK[standing.flag.level]


def standing_flag_message(standing: StandingFlag) -> str:
    """The worklist's sentence: what was found, when, and what the protocol says to do."""
    name = SPECS[standing.result.analyte].name
    drawn = standing.draw.drawn_on.isoformat()
    return f"{name} {value_text(standing.result)} drawn {drawn}: {standing.flag.message}"
