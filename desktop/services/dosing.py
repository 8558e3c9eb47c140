"""The dose calculator: a regimen in capsules from a weight and a mg/kg/day (no database).

Used by `isotrack dose` and by the app's dose calculator. Pure computation over the
shipped formulary, so it takes no `Context`: nothing is read from or written to a database.
"""

from datetime import date
from decimal import Decimal

from desktop.rules.dosing import DoseRequest, Regimen, check_dose_request, daily_regimen
from desktop.rules.formulary import UnknownProduct
from desktop.rules.problems import Problem
from desktop.rules.units import WeightUnit, parse_mg_per_kg_day, parse_weight
from desktop.services.catalog.formulary import load_formulary
from desktop.services.errors import ValidationFailed

DEFAULT_PRODUCT = "generic"


def product_names() -> tuple[str, ...]:
    return load_formulary().names


def calculate_regimen(
    *,
    weight_kg: Decimal,
    mg_per_kg_day: Decimal,
    product: str = DEFAULT_PRODUCT,
    prescriber_override: bool = False,
    birth_date: date | None = None,
    on: date | None = None,
) -> Regimen:
    """The daily regimen (domain.md §8 D1) with its warnings. Raises ValidationFailed naming
    the field: unknown product (listing the known ones), implausible weight, a dose above
    the product's maximum without override, a birth date without the dosing date."""
    try:
        chosen = load_formulary().product(product)
    except UnknownProduct as error:
        raise ValidationFailed((Problem("product", str(error)),)) from None
    request = DoseRequest(weight_kg, mg_per_kg_day, prescriber_override, birth_date, on)
    if problems := check_dose_request(chosen, request):
        raise ValidationFailed(problems)
    return daily_regimen(chosen, request)


def calculate_regimen_from_text(
    *,
    weight: str,
    weight_unit: WeightUnit,
    mg_per_kg_day: str,
    product: str = DEFAULT_PRODUCT,
    prescriber_override: bool = False,
    birth_date: date | None = None,
    on: date | None = None,
) -> Regimen:
    """As `calculate_regimen`, from what was typed ("72,5", "160 lb", "0.5 mg/kg/day");
    every typing problem is reported at once, nothing is rounded or guessed."""
    parsed_weight = parse_weight(weight, weight_unit, field="weight_kg")
    parsed_dose = parse_mg_per_kg_day(mg_per_kg_day)
    if isinstance(parsed_weight, Problem) or isinstance(parsed_dose, Problem):
        typed = (parsed_weight, parsed_dose)
        raise ValidationFailed(tuple(p for p in typed if isinstance(p, Problem)))
    return calculate_regimen(
        weight_kg=parsed_weight.weight_kg,
        mg_per_kg_day=parsed_dose,
        product=product,
        prescriber_override=prescriber_override,
        birth_date=birth_date,
        on=on,
    )
