"""Units and typed numbers: kg/lb, strict parsing of weights and doses, mg/kg rounding.

Parsing never rounds or clamps. A typed value is either read exactly (as a Decimal) or
refused with a `Problem` whose message says how to type it. Rules for a typed number:
- digits with at most one decimal separator; the point is always a decimal point;
- a decimal comma is accepted ("72,5"), except a comma followed by exactly three digits
  ("1,000", "72,500"), which could be a thousands separator and is refused as ambiguous;
- no signs, exponents, spaces inside the number, "inf"/"nan" or non-ASCII digits;
- an optional unit after the number ("160 lb", "72.5 kg"); an unknown unit is refused.
A weight has at most WEIGHT_DECIMALS decimals: the database keeps no more, so more would be
rounded on saving; it is refused instead.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, localcontext
from enum import StrEnum

from desktop.rules.problems import Problem

KG_PER_LB = Decimal("0.45359237")
"""Exact by definition (international pound, 1959) (domain.md §6 Weight)."""

MIN_WEIGHT_KG = Decimal(20)
"""Clinic policy [P]: isotretinoin is labelled from age 12 (domain.md §2.1) and 20 kg is
well below the weight of a healthy 12-year-old, so a lower value is almost surely a typing
or unit error (e.g. kg typed into a lb field)."""
MAX_WEIGHT_KG = Decimal(300)
"""Clinic policy [P]: above any weight a clinic scale records in practice; a larger value is
taken as a typing error (e.g. lb typed as kg) rather than accepted silently."""

MG_PER_KG_PLACES = Decimal("0.01")
"""mg/kg and mg/kg/day (and computed mg) are shown with 2 decimals (domain.md §8 D1)."""
DISPLAY_WEIGHT_PLACES = Decimal("0.1")
"""Weights are shown to 0.1 kg / 0.1 lb; stored values keep every digit typed."""
WEIGHT_DECIMALS = 3
"""A typed weight is stored to 3 decimals (weights.entered_value NUMERIC(9,3)); a weight
typed with more is refused rather than rounded on saving."""


class WeightUnit(StrEnum):
    KG = "kg"
    LB = "lb"


WEIGHT_UNIT_WORDS: Mapping[str, WeightUnit] = {
    "kg": WeightUnit.KG,
    "kgs": WeightUnit.KG,
    "kilo": WeightUnit.KG,
    "kilos": WeightUnit.KG,
    "kilogram": WeightUnit.KG,
    "kilograms": WeightUnit.KG,
    "lb": WeightUnit.LB,
    "lbs": WeightUnit.LB,
    "pound": WeightUnit.LB,
    "pounds": WeightUnit.LB,
}

MG_PER_KG_DAY_WORDS: Mapping[str, str] = {
    "mg/kg/day": "mg/kg/day",
    "mg/kg/d": "mg/kg/day",
    "mg/kg": "mg/kg/day",
}

_TYPED = re.compile(
    r"(?P<sign>[-+−]?)\s*(?P<number>[0-9][0-9.,]*)\s*(?P<unit>[A-Za-z][A-Za-z/.]*)?"
)
_PLAIN = re.compile(r"[0-9]+(?:[.,][0-9]+)?")


@dataclass(frozen=True, slots=True)
class Weight:
    """A weight as typed (`entered`, `entered_unit`) and its exact value in kg."""

    weight_kg: Decimal
    entered: Decimal
    entered_unit: WeightUnit

    @property
    def weight_lb(self) -> Decimal:
        return kg_to_lb(self.weight_kg)


def lb_to_kg(pounds: Decimal) -> Decimal:
    """Exact: a product of two finite decimals (domain.md §6 Weight)."""
    return pounds * KG_PER_LB


def kg_to_lb(kilograms: Decimal) -> Decimal:
    """To 28 significant digits (Decimal's default); round only for display."""
    return kilograms / KG_PER_LB


def round_mg_per_kg(value: Decimal) -> Decimal:
    """Two decimals, half away from zero (ROUND_HALF_UP), as clinicians round by hand
    (domain.md §8 D1 "rounded to 2 decimals"; the rounding mode is our choice [P])."""
    return value.quantize(MG_PER_KG_PLACES, rounding=ROUND_HALF_UP)


def round_mg(value: Decimal) -> Decimal:
    """A computed mg amount (e.g. 72.5 kg × 0.5 = 36.25) for display: 2 decimals, half up."""
    return value.quantize(MG_PER_KG_PLACES, rounding=ROUND_HALF_UP)


def decimal_places(value: Decimal) -> int:
    """Digits after the point, trailing zeros not counted: 72.50 → 1, 180 → 0. Exact for any
    finite value (no rounding to the context's precision, unlike `normalize`)."""
    _, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or not any(digits):
        return 0
    trailing_zeros = len(digits) - len("".join(map(str, digits)).rstrip("0"))
    return max(0, -(exponent + trailing_zeros))


def format_decimal(value: Decimal) -> str:
    """Plain digits without exponent or trailing zeros: 30 → "30", 12.50 → "12.5"."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def format_weight(weight_kg: Decimal) -> str:
    """Both units, 0.1 each, half up: "72.5 kg (159.8 lb)"."""
    return f"{_display_kg(weight_kg)} kg ({_display_kg(kg_to_lb(weight_kg))} lb)"


def _display_kg(value: Decimal) -> Decimal:
    with localcontext() as context:  # 28 digits cannot hold a 30-digit typo to 0.1
        context.prec = max(context.prec, value.adjusted() + 3)
        return value.quantize(DISPLAY_WEIGHT_PLACES, rounding=ROUND_HALF_UP)


def parse_number(
    text: str,
    *,
    field: str,
    what: str,
    units: Mapping[str, str] | None = None,
    example: str = "72.5",
) -> tuple[Decimal, str | None] | Problem:
    """A positive decimal typed by a user, and the unit word typed after it (lower-cased,
    looked up in `units`; None when none was typed). `what` names the value in messages."""
    stripped = text.strip()
    if not stripped:
        return Problem(field, f"Enter the {what}.")
    match = _TYPED.fullmatch(stripped)
    if match is None:
        return Problem(field, f"The {what} must be a number, like {example}; got {stripped!r}.")
    unit_text = (match["unit"] or "").strip().lower()
    unit = None
    if unit_text:
        if units is None or unit_text not in units:
            return _unknown_unit(field, what, unit_text, units)
        unit = units[unit_text]
    number = _read_number(match["number"], field=field, what=what, example=example)
    if isinstance(number, Problem):
        return number
    if match["sign"] in ("-", "−") or number == 0:
        return Problem(field, f"The {what} must be more than zero.")
    return number, unit


def parse_weight(text: str, default_unit: WeightUnit, *, field: str = "weight") -> Weight | Problem:
    """A patient weight typed in kg or lb ("72,5", "160 lb"), checked against
    MIN_WEIGHT_KG..MAX_WEIGHT_KG. A unit typed in the text wins over `default_unit`."""
    parsed = parse_number(text, field=field, what="weight", units=WEIGHT_UNIT_WORDS)
    if isinstance(parsed, Problem):
        return parsed
    value, unit_word = parsed
    unit = WeightUnit(unit_word) if unit_word else default_unit
    weight_kg = value if unit is WeightUnit.KG else lb_to_kg(value)
    problem = check_weight_kg(weight_kg, field=field)
    if problem is not None:
        if unit is WeightUnit.LB:
            typed = f"{format_decimal(value)} lb is {format_decimal(_display_kg(weight_kg))} kg."
            return Problem(field, f"{typed} {problem.message}")
        return problem
    if decimal_places(value) > WEIGHT_DECIMALS:
        return Problem(
            field, f"Type the weight with at most {WEIGHT_DECIMALS} decimals, like 72.125."
        )
    return Weight(weight_kg, value, unit)


def parse_mg_per_kg_day(text: str, *, field: str = "mg_per_kg_day") -> Decimal | Problem:
    """A typed daily dose per kg ("0.5", "0,5", "1 mg/kg/day"); positive, otherwise unchecked:
    the product's range is the dosing rules' business (domain.md §2.1)."""
    parsed = parse_number(
        text, field=field, what="dose in mg/kg/day", units=MG_PER_KG_DAY_WORDS, example="0.5"
    )
    return parsed if isinstance(parsed, Problem) else parsed[0]


def check_weight_kg(weight_kg: Decimal, *, field: str = "weight") -> Problem | None:
    """Refuse weights outside the plausible range (policy limits above)."""
    if not weight_kg.is_finite() or not MIN_WEIGHT_KG <= weight_kg <= MAX_WEIGHT_KG:
        return Problem(
            field,
            f"A weight must be between {format_weight(MIN_WEIGHT_KG)} and "
            f"{format_weight(MAX_WEIGHT_KG)}; check the number and the unit.",
        )
    return None


def _read_number(digits: str, *, field: str, what: str, example: str) -> Decimal | Problem:
    if _PLAIN.fullmatch(digits) is None:
        return Problem(
            field,
            f"The {what} {digits!r} is not a plain number: use one decimal point and no "
            f"thousands separators, like {example}.",
        )
    whole, _, fraction = digits.replace(",", ".").partition(".")
    if "," in digits and len(fraction) == 3:
        return Problem(
            field,
            f"{digits!r} is ambiguous: a comma before three digits may separate thousands. "
            f"Type {whole}{fraction} or {whole}.{fraction} instead.",
        )
    return Decimal(f"{whole}.{fraction}" if fraction else whole)


def _unknown_unit(
    field: str, what: str, unit_text: str, units: Mapping[str, str] | None
) -> Problem:
    if not units:
        return Problem(field, f"Type the {what} as a number only; {unit_text!r} is not expected.")
    known = ", ".join(sorted(set(units.values())))
    return Problem(field, f"Unknown unit {unit_text!r} for the {what}; use {known}.")
