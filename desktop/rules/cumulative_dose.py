"""Cumulative isotretinoin dose (mg and mg/kg) and the projection to a course target."""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from itertools import pairwise
from typing import TypeVar

from desktop.rules.problems import Problem
from desktop.rules.units import decimal_places
from desktop.rules.units import round_mg_per_kg as round_mg_per_kg  # re-exported for callers

_T = TypeVar("_T")

TARGET_120_MG_PER_KG = Decimal(120)
"""Lower end of the classic 120–150 mg/kg course target (domain.md §2.3)."""
TARGET_150_MG_PER_KG = Decimal(150)
"""Upper end of the classic target; IsoTrack's default per course (domain.md §2.3 Model) [P]."""
TARGET_220_MG_PER_KG = Decimal(220)
"""Blasiak 2013 / Lai 2025: fewer relapses up to ~220 mg/kg (domain.md §2.3)."""
DEFAULT_TARGET_MG_PER_KG = TARGET_150_MG_PER_KG
STANDARD_TARGETS_MG_PER_KG = (TARGET_120_MG_PER_KG, TARGET_150_MG_PER_KG, TARGET_220_MG_PER_KG)
"""The choices offered in the course form; any other positive value is a custom target."""

MAX_CUSTOM_TARGET_MG_PER_KG = Decimal(300)
"""Clinic policy [P]: no source discusses targets beyond ~220 mg/kg (domain.md §2.3), so a
custom value above 300 is taken as a typing error rather than a prescriber's choice."""
TARGET_DECIMALS = 1
"""A target is stored to one decimal (courses.target_mg_per_kg NUMERIC(6,1)); a target typed
with more is refused rather than rounded on saving."""

LOW_DOSE_FORMULATION_TARGET_NOTE = (
    "Absorica LD: published cumulative targets (mg/kg) are for conventional isotretinoin; "
    "whether to adjust this course's target is the prescriber's decision."
)
"""Absorica LD gives similar exposure at ~20% lower dose (domain.md §2.3)."""

REMAINING_MG_RESOLUTION = Decimal("0.000001")
"""Remaining mg is settled to the microgram before dividing by the daily dose, so that
28-digit decimal noise from mg ÷ kg (e.g. ÷ 62 kg) can never add a whole day."""


@dataclass(frozen=True, slots=True)
class DosePeriod:
    """A daily dose in force from `starts_on` until the next period starts (or the course
    ends). A period of 0 mg/day is a hold: its days are not dosing days."""

    starts_on: date
    mg_per_day: Decimal
    prescriber_override: bool = False
    """The prescriber ordered this dose above the product's labelled maximum (domain.md
    §2.1); it plays no part in the arithmetic."""


@dataclass(frozen=True, slots=True)
class WeightEntry:
    """A weight in effect from `measured_on`; before the first entry, the first one applies."""

    measured_on: date
    weight_kg: Decimal


@dataclass(frozen=True, slots=True)
class CumulativeDose:
    """Totals as of `counted_through` (None when no day has been counted yet).

    `cumulative_mg_per_kg` is unrounded; show it with `round_mg_per_kg`."""

    cumulative_mg: Decimal
    cumulative_mg_per_kg: Decimal
    dosing_days: int
    first_dose_on: date | None
    counted_through: date | None


@dataclass(frozen=True, slots=True)
class Projection:
    """How far to the target at the current dose and weight.

    Day 1 of the projection is the day after `after`; the target is reached at the end of
    day `days_to_target`, so `projected_last_dose_on = after + days_to_target`. When the
    target is already reached, `days_to_target` is 0 and the date is `after` itself. With a
    current dose of 0 mg/day (a hold) and the target not reached, both are None."""

    target_mg_per_kg: Decimal
    remaining_mg: Decimal
    remaining_mg_per_kg: Decimal
    days_to_target: int | None
    projected_last_dose_on: date | None

    @property
    def is_reached(self) -> bool:
        return self.days_to_target == 0


def check_target_mg_per_kg(value: Decimal, field: str = "target_mg_per_kg") -> Problem | None:
    """A course target must be positive and plausible (domain.md §2.3; limit is policy [P])."""
    if not value.is_finite() or value <= 0:
        return Problem(field, "The cumulative target must be a positive number of mg/kg.")
    if value > MAX_CUSTOM_TARGET_MG_PER_KG:
        return Problem(
            field,
            f"A cumulative target above {MAX_CUSTOM_TARGET_MG_PER_KG} mg/kg is not accepted; "
            "published targets are 120–220 mg/kg.",
        )
    if decimal_places(value) > TARGET_DECIMALS:
        return Problem(field, "Give the cumulative target to one decimal at most, like 180.5.")
    return None


def target_notes(*, is_low_dose_formulation: bool) -> tuple[str, ...]:
    """Notes to show beside a course target (domain.md §2.3: LD target is a prescriber call)."""
    return (LOW_DOSE_FORMULATION_TARGET_NOTE,) if is_low_dose_formulation else ()


def cumulative_dose(
    periods: Sequence[DosePeriod],
    weights: Sequence[WeightEntry],
    missed_days: frozenset[date],
    *,
    through: date,
    last_dose_on: date | None = None,
) -> CumulativeDose:
    """Sum of each dosing day's mg, and of mg ÷ the weight in effect that day (domain.md §8 C1,
    §2.3 Model). Days count inclusively from the first period's start through `through`, or
    `last_dose_on` if earlier; recorded missed days and days of 0 mg/day are not counted.

    Raises ValueError for inputs no form should produce: no weights, a weight or dose that is
    not positive (dose may be 0), or two periods/weights on the same date."""
    ordered_periods = _sorted_unique(periods, key=lambda p: p.starts_on, what="dose periods")
    ordered_weights = _sorted_unique(weights, key=lambda w: w.measured_on, what="weights")
    _check_values(ordered_periods, ordered_weights)
    end = through if last_dose_on is None else min(through, last_dose_on)
    if not ordered_periods or end < ordered_periods[0].starts_on:
        return CumulativeDose(Decimal(0), Decimal(0), 0, None, None)
    total_mg = Decimal(0)
    total_mg_per_kg = Decimal(0)
    days = 0
    for first, last, mg, weight_kg in _segments(ordered_periods, ordered_weights, end):
        if mg == 0:
            continue
        taken = _days_between(first, last) - sum(1 for d in missed_days if first <= d <= last)
        days += taken
        total_mg += mg * taken
        total_mg_per_kg += mg * taken / weight_kg
    return CumulativeDose(total_mg, total_mg_per_kg, days, ordered_periods[0].starts_on, end)


def project_to_target(
    cumulative: CumulativeDose,
    *,
    target_mg_per_kg: Decimal,
    current_mg_per_day: Decimal,
    current_weight_kg: Decimal,
    after: date,
) -> Projection:
    """Days to reach the target at today's dose and weight (domain.md §8 C1, §2.3, §2.4):
    remaining mg = (target − cumulative mg/kg) × current kg; days = ceil(remaining ÷ daily mg).
    Worked example §2.4: 70 kg, 70 mg/day, from zero → 150 mg/kg in 150 days."""
    if current_weight_kg <= 0 or current_mg_per_day < 0 or target_mg_per_kg <= 0:
        raise ValueError("weight and target must be positive and the dose not negative")
    remaining_per_kg = max(target_mg_per_kg - cumulative.cumulative_mg_per_kg, Decimal(0))
    remaining_mg = (remaining_per_kg * current_weight_kg).quantize(
        REMAINING_MG_RESOLUTION, rounding=ROUND_HALF_UP
    )
    if remaining_mg == 0:
        return Projection(target_mg_per_kg, Decimal(0), Decimal(0), 0, after)
    if current_mg_per_day == 0:
        return Projection(target_mg_per_kg, remaining_mg, remaining_per_kg, None, None)
    days = int((remaining_mg / current_mg_per_day).to_integral_value(rounding=ROUND_CEILING))
    return Projection(
        target_mg_per_kg, remaining_mg, remaining_per_kg, days, after + timedelta(days=days)
    )


def weight_on(weights: Sequence[WeightEntry], day: date) -> Decimal:
    """The weight in effect on `day`: the latest entry on or before it, else the first."""
    ordered = sorted(weights, key=lambda w: w.measured_on)
    if not ordered:
        raise ValueError("at least one weight is needed")
    current = ordered[0].weight_kg
    for entry in ordered:
        if entry.measured_on > day:
            break
        current = entry.weight_kg
    return current


def _sorted_unique(items: Iterable[_T], *, key: Callable[[_T], date], what: str) -> list[_T]:
    ordered = sorted(items, key=key)
    for earlier, later in pairwise(ordered):
        if key(earlier) == key(later):
            raise ValueError(f"two {what} on {key(later).isoformat()}")
    return ordered


def _check_values(periods: Sequence[DosePeriod], weights: Sequence[WeightEntry]) -> None:
    if not weights:
        raise ValueError("at least one weight is needed")
    if any(w.weight_kg <= 0 for w in weights):
        raise ValueError("weights must be positive")
    if any(p.mg_per_day < 0 for p in periods):
        raise ValueError("a daily dose cannot be negative")


def _segments(
    periods: Sequence[DosePeriod], weights: Sequence[WeightEntry], end: date
) -> list[tuple[date, date, Decimal, Decimal]]:
    """Split [first start, end] into stretches where both dose and weight are constant."""
    start = periods[0].starts_on
    cuts = sorted(
        {p.starts_on for p in periods} | {w.measured_on for w in weights if start < w.measured_on}
    )
    cuts = [c for c in cuts if c <= end]
    result = []
    for index, first in enumerate(cuts):
        last = cuts[index + 1] - timedelta(days=1) if index + 1 < len(cuts) else end
        mg = next(p.mg_per_day for p in reversed(periods) if p.starts_on <= first)
        result.append((first, last, mg, weight_on(weights, first)))
    return result


def _days_between(first: date, last: date) -> int:
    return (last - first).days + 1
