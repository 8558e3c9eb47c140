"""`isotrack dose`: the daily regimen in capsules for a weight and a mg/kg/day (DESIGN.md)."""

import argparse
import json
from collections.abc import Sequence
from datetime import UTC, date, datetime
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from desktop.rules.dosing import Regimen
from desktop.rules.units import WeightUnit, format_decimal, format_weight, round_mg
from desktop.services.dosing import DEFAULT_PRODUCT, calculate_regimen_from_text, product_names
from desktop.services.errors import InputError

SCHEMA = "isotrack.dose/1"
JSON_WEIGHT_KG_PLACES = Decimal("0.01")
"""`weight_kg` in JSON: 2 decimals, half up like the text's 0.1 kg (a weight typed in lb is
converted exactly, 154 lb = 69.85322498 kg, and shown as 69.85); the regimen is worked out
from the exact value."""
TIME_LABELS = {"am": "Morning", "pm": "Evening"}


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser(
        "dose",
        help="daily regimen in capsules for a weight and mg/kg/day",
        description="Daily isotretinoin regimen: capsules of one product, split into a morning "
        "and an evening dose, with the achieved mg/kg/day. Nothing is saved.",
    )
    weight = parser.add_mutually_exclusive_group(required=True)
    weight.add_argument("--weight-kg", metavar="W", help="weight in kg (72.5 or 72,5)")
    weight.add_argument("--weight-lb", metavar="W", help="weight in lb")
    parser.add_argument("--mg-per-kg-day", metavar="X", required=True, help="e.g. 0.5 or 1")
    parser.add_argument(
        "--product",
        metavar="NAME",
        default=DEFAULT_PRODUCT,
        help=f"one of: {', '.join(product_names())} (default {DEFAULT_PRODUCT})",
    )
    parser.add_argument("--birth-date", metavar="DATE", help="YYYY-MM-DD; checks age 12+")
    parser.add_argument(
        "--on", metavar="DATE", help="date of dosing, YYYY-MM-DD (default with --birth-date: today)"
    )
    parser.add_argument(
        "--prescriber-override",
        action="store_true",
        help="the prescriber accepts a dose above the product's labelled maximum",
    )
    parser.add_argument("--json", action="store_true", help=f"print JSON ({SCHEMA})")
    parser.set_defaults(handler=run_dose)


def run_dose(args: argparse.Namespace) -> int:
    unit = WeightUnit.KG if args.weight_kg is not None else WeightUnit.LB
    birth_date = _date_option(args.birth_date, "--birth-date")
    regimen = calculate_regimen_from_text(
        weight=args.weight_kg if unit is WeightUnit.KG else args.weight_lb,
        weight_unit=unit,
        mg_per_kg_day=args.mg_per_kg_day,
        product=args.product,
        prescriber_override=args.prescriber_override,
        birth_date=birth_date,
        on=_date_option(args.on, "--on") or (_today() if birth_date else None),
    )
    if args.json:
        print(json.dumps(regimen_json(regimen), indent=2, ensure_ascii=False))
    else:
        print("\n".join(regimen_lines(regimen)))
    return 0


def regimen_json(regimen: Regimen) -> dict[str, Any]:
    """The `isotrack.dose/1` document; keys listed in DESIGN.md are a contract."""
    product = regimen.product
    return {
        "schema": SCHEMA,
        "product": product.name,
        "product_display_name": product.display_name,
        "weight_kg": _number(
            regimen.request.weight_kg.quantize(JSON_WEIGHT_KG_PLACES, rounding=ROUND_HALF_UP)
        ),
        "mg_per_kg_day": _number(regimen.request.mg_per_kg_day),
        "target_mg_per_day": _number(round_mg(regimen.target_mg_per_day)),
        "mg_per_day": regimen.mg_per_day,
        "doses": [
            {"time": d.time.value, "mg": d.mg, "capsules_mg": list(d.capsules_mg)}
            for d in regimen.doses
        ],
        "achieved_mg_per_kg_day": _number(regimen.achieved_mg_per_kg_day),
        "capsules_per_30_days": [
            {"strength_mg": s.strength_mg, "capsules": s.capsules}
            for s in regimen.capsules_per_fill
        ],
        "food": product.food.value,
        "food_instruction": product.food_instruction,
        "prescriber_override": regimen.request.prescriber_override,
        "warnings": [w.message for w in regimen.warnings],
        "warning_details": [
            {"code": w.code.value, "severity": w.severity.value, "message": w.message}
            for w in regimen.warnings
        ],
    }


def regimen_lines(regimen: Regimen) -> list[str]:
    """What a nurse reads: product, weight, the two doses in capsules, the fill, warnings."""
    request = regimen.request
    lines = [
        f"{regimen.product.display_name}, {format_weight(request.weight_kg)}, "
        f"{format_decimal(request.mg_per_kg_day)} mg/kg/day "
        f"(target {format_decimal(round_mg(regimen.target_mg_per_day))} mg/day)",
        "",
    ]
    lines += [
        f"  {TIME_LABELS[d.time.value]:<8} {d.mg:>4} mg   {_capsules_text(d.capsules_mg)}"
        for d in regimen.doses
    ]
    lines += [
        f"  {'Daily':<8} {regimen.mg_per_day:>4} mg   = {regimen.achieved_mg_per_kg_day} mg/kg/day",
        "",
        regimen.product.food_instruction,
        "30-day fill: "
        + ", ".join(f"{s.capsules} × {s.strength_mg} mg" for s in regimen.capsules_per_fill),
    ]
    if regimen.warnings:
        lines += ["", "Warnings:"]
        lines += [f"  [{w.severity.value}] {w.message}" for w in regimen.warnings]
    return lines


def _capsules_text(capsules_mg: Sequence[int]) -> str:
    if len(set(capsules_mg)) == 1:
        count = len(capsules_mg)
        return f"{count} capsule{'s' if count > 1 else ''} of {capsules_mg[0]} mg"
    return " + ".join(f"1 × {c} mg" for c in capsules_mg)


def _number(value: Decimal) -> float:
    """A decimal quantity as a JSON number (float repr round-trips: 0.55 prints as 0.55)."""
    return float(value)


def _today() -> date:
    """The workstation's local date: the CLI is an edge and may read the clock."""
    return datetime.now(UTC).astimezone().date()


def _date_option(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError(f"{option}: expected a date as YYYY-MM-DD, got {text!r}.") from None
