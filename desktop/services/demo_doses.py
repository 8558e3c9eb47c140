"""Demo dose histories: a starting dose, then what a prescriber decides at the monthly visits
(increase while it is tolerated, reduce for side effects or a lab alert, recalculate after a
change of weight), each with the reason they would write (domain.md §2.1, §2.4)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from functools import lru_cache
from typing import Any

from desktop.rules.cumulative_dose import WeightEntry, weight_on
from desktop.rules.dosing import DoseRequest, Regimen, daily_regimen
from desktop.rules.formulary import Product
from desktop.rules.side_effects import EffectSeverity, ReportedEffect, SideEffect

LADDER = (Decimal("0.25"), Decimal("0.5"), Decimal("0.75"), Decimal(1))
"""mg/kg/day steps: 0.5 to start, 1 as the usual aim, 0.25 a low-dose regimen (§2.1)."""
START_REASON = "Starting dose: {dose} mg/kg/day for the first month"
LOW_START_REASON = "Low starting dose: {dose} mg/kg/day (sensitive skin)"
INCREASE_REASON = "Tolerating well: increase to {dose} mg/kg/day"
MILD_INCREASE_REASON = "Only mild dry lips: increase to {dose} mg/kg/day"
WEIGHT_REASON = "Weight {direction} {change} kg: dose recalculated at {dose} mg/kg/day"
REDUCE_REASONS = {
    SideEffect.NOSEBLEEDS: "Dry lips and nosebleeds: reduce to {dose} mg/kg/day",
    SideEffect.JOINT_MUSCLE_PAIN: "Back and joint aches: reduce to {dose} mg/kg/day",
    SideEffect.DRY_EYES: "Dry eyes with contact lenses: reduce to {dose} mg/kg/day",
    SideEffect.HEADACHE: "Headaches most days: reduce to {dose} mg/kg/day",
}
"""Moderate effects a prescriber may answer with a lower dose, never below 0.5 mg/kg/day
(domain.md §4.1); dry skin and lips are met with emollients instead."""
RECALCULATE_FROM_KG = Decimal(3)
CONTINUE = "continue current dose"


@lru_cache(maxsize=8192)
def regimen(product: Product, weight_kg: Decimal, mg_per_kg_day: Decimal) -> Regimen:
    """The regimen the dose calculator gives (domain.md §8 D1); demo weights repeat often."""
    return daily_regimen(product, DoseRequest(weight_kg, mg_per_kg_day))


def dose_text(mg_per_kg_day: Decimal) -> str:
    return format(mg_per_kg_day.normalize(), "f")


@dataclass(frozen=True, slots=True)
class DoseStep:
    starts_on: date
    mg_per_kg_day: Decimal
    reason: str


@dataclass(slots=True)
class DosePlan:
    """The course's dose steps, decided in date order."""

    product: Product
    goal: Decimal
    steps: list[DoseStep] = field(default_factory=list)
    weighed_kg: Decimal = Decimal(0)
    """The weight the current dose was worked out from."""

    def start(self, on: date, mg_per_kg_day: Decimal, weight_kg: Decimal) -> None:
        low = mg_per_kg_day < LADDER[1]
        reason = (LOW_START_REASON if low else START_REASON).format(dose=dose_text(mg_per_kg_day))
        self.steps.append(DoseStep(on, mg_per_kg_day, reason))
        self.weighed_kg = weight_kg

    def current(self, on: date) -> Decimal:
        return self._in_force(on).mg_per_kg_day

    def _in_force(self, on: date) -> DoseStep:
        return max((s for s in self.steps if s.starts_on <= on), key=lambda s: s.starts_on)

    def at_visit(
        self, chance: float, on: date, effects: tuple[ReportedEffect, ...], weight_kg: Decimal
    ) -> str:
        """The visit's decision, as the visit records it; `chance` is one random draw. A dose
        reduced for side effects becomes the course's aim (§4.1: prescriber's call)."""
        now = self.current(on)
        troubles = [
            e.effect
            for e in effects
            if e.severity is EffectSeverity.MODERATE and e.effect in REDUCE_REASONS
        ]
        if troubles and now > LADDER[1] and chance < 0.5:
            self.goal = LADDER[LADDER.index(now) - 1]
            return self._change(on, self.goal, REDUCE_REASONS[troubles[0]], weight_kg)
        if now < self.goal and not troubles and chance < 0.85:
            higher = self.goal if chance < 0.5 else LADDER[LADDER.index(now) + 1]
            mild_lips = effects == (ReportedEffect(SideEffect.DRY_LIPS, EffectSeverity.MILD),)
            reason = MILD_INCREASE_REASON if mild_lips else INCREASE_REASON
            return self._change(on, higher, reason, weight_kg)
        change = weight_kg - self.weighed_kg
        if abs(change) >= RECALCULATE_FROM_KG and self._mg(now, weight_kg) != self._mg(
            now, self.weighed_kg
        ):
            reason = WEIGHT_REASON.format(
                direction="up" if change > 0 else "down",
                change=dose_text(abs(change).quantize(Decimal("0.1"))),
                dose="{dose}",
            )
            return self._change(on, now, reason, weight_kg)
        return CONTINUE

    def reduce_for_lab(self, on: date, reason: str, weight_kg: Decimal) -> None:
        """After a lab alert the prescriber halves the dose (domain.md §3.4); `reason` has a
        {dose} slot for the new dose."""
        now = self.current(on)
        lower = LADDER[max(0, LADDER.index(now) - 2)]
        if lower < now:
            self.goal = min(self.goal, LADDER[LADDER.index(now) - 1])
            self._change(on, lower, reason, weight_kg)

    def _change(self, on: date, mg_per_kg_day: Decimal, reason: str, weight_kg: Decimal) -> str:
        text = reason.format(dose=dose_text(mg_per_kg_day))
        self.steps.append(DoseStep(on, mg_per_kg_day, text))
        self.weighed_kg = weight_kg
        return f"change to {dose_text(mg_per_kg_day)} mg/kg/day ({self.product.name}): {text}"

    def _mg(self, mg_per_kg_day: Decimal, weight_kg: Decimal) -> int:
        return regimen(self.product, weight_kg, mg_per_kg_day).mg_per_day

    def rows(self, weights: list[WeightEntry], until: date) -> list[dict[str, Any]]:
        """Dose period rows of the steps taken by `until`, in capsules of the product."""
        rows = []
        for step in self.steps:
            if step.starts_on > until:
                continue
            found = regimen(self.product, weight_on(weights, step.starts_on), step.mg_per_kg_day)
            am, pm = found.doses
            rows.append(
                {
                    "starts_on": step.starts_on,
                    "product": self.product.name,
                    "mg_per_day": Decimal(found.mg_per_day),
                    "am_mg": Decimal(am.mg),
                    "pm_mg": Decimal(pm.mg),
                    "reason": step.reason,
                    "prescriber_override": False,
                }
            )
        return rows

    def capsules_per_day(self, weights: list[WeightEntry], on: date) -> int:
        """Capsules a day of the dose period in force on `on`, as its row was worked out."""
        step = self._in_force(on)
        found = regimen(self.product, weight_on(weights, step.starts_on), step.mg_per_kg_day)
        return sum(len(d.capsules_mg) for d in found.doses)
