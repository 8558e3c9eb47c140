"""Daily isotretinoin regimen by weight, in real capsules, split into morning and evening doses."""

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum
from itertools import combinations_with_replacement
from itertools import product as cartesian

from desktop.rules.ages import age_on
from desktop.rules.formulary import Product
from desktop.rules.problems import Problem
from desktop.rules.units import (
    check_weight_kg,
    format_decimal,
    format_weight,
    round_mg,
    round_mg_per_kg,
)

MAX_CAPSULES_PER_DOSE = 2
"""Clinic policy (domain.md §8 D1): a dose value is the sum of 1–2 capsules."""
DAYS_SUPPLY = 30
"""A fill covers at most 30 days, no refills (domain.md §1.6)."""
LABELLED_MIN_AGE_YEARS = 12
"""Isotretinoin is indicated from 12 years of age (domain.md §2.1)."""
TYPO_LIMIT_MG_PER_KG_DAY = Decimal(3)
"""Clinic policy [P]: no source describes more than 2 mg/kg/day (domain.md §2.1); a value
above 3 is taken as a typing error (e.g. 10 for 1.0) even with a prescriber override."""


class Severity(StrEnum):
    """How a nurse should act on a warning or caution (shared by dosing and interactions)."""

    INFO = "info"  # for the record; nothing to do
    CAUTION = "caution"  # check or counsel the patient before going on
    WARNING = "warning"  # the prescriber reviews before prescribing
    STOP = "stop"  # do not prescribe or dispense


class DoseWarningCode(StrEnum):
    ABOVE_MAXIMUM = "above_maximum"
    ABOVE_USUAL_RANGE = "above_usual_range"
    BELOW_USUAL_RANGE = "below_usual_range"
    TARGET_BELOW_SMALLEST = "target_below_smallest_regimen"
    TARGET_ABOVE_LARGEST = "target_above_largest_regimen"
    HELD_AT_MAXIMUM = "held_at_maximum"
    LOW_DOSE_FORMULATION = "low_dose_formulation"
    NOT_INTERCHANGEABLE = "not_interchangeable"
    UNDER_LABELLED_AGE = "under_labelled_age"
    EXCIPIENT = "excipient"


@dataclass(frozen=True, slots=True)
class DoseWarning:
    code: DoseWarningCode
    severity: Severity
    message: str


class DoseTime(StrEnum):
    AM = "am"
    PM = "pm"


@dataclass(frozen=True, slots=True)
class Dose:
    time: DoseTime
    capsules_mg: tuple[int, ...]

    @property
    def mg(self) -> int:
        return sum(self.capsules_mg)


@dataclass(frozen=True, slots=True)
class CapsuleSupply:
    strength_mg: int
    capsules: int


@dataclass(frozen=True, slots=True)
class DoseRequest:
    """What the nurse typed. Age is checked only when both `birth_date` and `on` are given."""

    weight_kg: Decimal
    mg_per_kg_day: Decimal
    prescriber_override: bool = False
    birth_date: date | None = None
    on: date | None = None


@dataclass(frozen=True, slots=True)
class Regimen:
    product: Product
    request: DoseRequest
    target_mg_per_day: Decimal
    doses: tuple[Dose, Dose]
    warnings: tuple[DoseWarning, ...]

    @property
    def mg_per_day(self) -> int:
        return sum(d.mg for d in self.doses)

    @property
    def achieved_mg_per_kg_day(self) -> Decimal:
        """mg/day ÷ kg, 2 decimals half up (domain.md §8 D1; rounding mode [P])."""
        return round_mg_per_kg(self.mg_per_day / self.request.weight_kg)

    @property
    def capsules_per_fill(self) -> tuple[CapsuleSupply, ...]:
        """Capsules of each strength for one DAYS_SUPPLY fill (domain.md §1.6)."""
        daily = Counter(c for d in self.doses for c in d.capsules_mg)
        return tuple(CapsuleSupply(s, n * DAYS_SUPPLY) for s, n in sorted(daily.items()))


def dose_values(product: Product) -> dict[int, tuple[tuple[int, ...], ...]]:
    """Every single-dose amount from 1–2 capsules, with the capsule sets that make it."""
    values: dict[int, list[tuple[int, ...]]] = {}
    for count in range(1, MAX_CAPSULES_PER_DOSE + 1):
        for capsules in combinations_with_replacement(product.strengths_mg, count):
            values.setdefault(sum(capsules), []).append(capsules)
    return {mg: tuple(sets) for mg, sets in sorted(values.items())}


def daily_totals(product: Product) -> tuple[int, ...]:
    """Achievable mg/day: AM dose + PM dose, both taken (domain.md §8 D1, two divided doses)."""
    values = dose_values(product)
    return tuple(sorted({am + pm for am in values for pm in values}))


def check_dose_request(product: Product, request: DoseRequest) -> tuple[Problem, ...]:
    """Why a regimen cannot be calculated; empty when it can (domain.md §2.1, §8 D1)."""
    problems = [p for p in (check_weight_kg(request.weight_kg, field="weight_kg"),) if p]
    problems += _mg_per_kg_day_problems(product, request)
    if (request.birth_date is None) != (request.on is None):
        problems.append(Problem("birth_date", "Give both the birth date and the date of dosing."))
    elif request.birth_date and request.on and request.birth_date > request.on:
        problems.append(Problem("birth_date", "The birth date is after the date of dosing."))
    if not problems and not _allowed_totals(product, request):
        smallest = daily_totals(product)[0]
        problems.append(
            Problem(
                "mg_per_kg_day",
                f"The smallest twice-daily {product.display_name} regimen ({smallest} mg/day) "
                "is above the labelled maximum for this weight; a prescriber override is needed.",
            )
        )
    return tuple(problems)


def check_daily_dose(
    product: Product,
    mg_per_day: Decimal,
    weight_kg: Decimal,
    *,
    prescriber_override: bool,
    field: str = "mg_per_day",
    how_to_override: str = "it needs a prescriber override",
) -> Problem | None:
    """A daily dose in mg at a weight against the product's labelled maximum in mg/kg/day
    (domain.md §2.1), judged on the displayed 2-decimal value like `regimen_warnings`:
    above it only on a prescriber's override, and above `TYPO_LIMIT_MG_PER_KG_DAY` never
    (a typing error). 0 mg/day (a hold) is always allowed."""
    per_kg = round_mg_per_kg(mg_per_day / weight_kg)
    amount = (
        f"{format_decimal(mg_per_day)} mg/day at {format_weight(weight_kg)} is {per_kg} mg/kg/day"
    )
    if per_kg > TYPO_LIMIT_MG_PER_KG_DAY:
        return Problem(
            field,
            f"{amount}, far above any labelled dose (at most "
            f"{format_decimal(product.max_mg_per_kg_day)}); check the number.",
        )
    if per_kg > product.max_mg_per_kg_day and not prescriber_override:
        return Problem(
            field,
            f"{amount}, above the labelled maximum of "
            f"{format_decimal(product.max_mg_per_kg_day)} mg/kg/day for "
            f"{product.display_name}; {how_to_override}.",
        )
    return None


def daily_regimen(product: Product, request: DoseRequest) -> Regimen:
    """The regimen of domain.md §8 D1 [P]: target = kg × mg/kg/day; the achievable daily
    total nearest the target (tie → lower); split as evenly as possible, the larger dose in
    the evening. Without a prescriber override the total never exceeds kg × the product's
    maximum: the ceiling is applied before "nearest" (our reading [P]; a warning says so).
    Raises ValueError if `check_dose_request` finds problems."""
    if problems := check_dose_request(product, request):
        raise ValueError("; ".join(p.message for p in problems))
    target = request.weight_kg * request.mg_per_kg_day
    total = min(_allowed_totals(product, request), key=lambda t: (abs(t - target), t))
    doses = split_daily_total(product, total)
    age = age_on(request.birth_date, request.on) if request.birth_date and request.on else None
    warnings = regimen_warnings(
        product,
        request,
        target_mg_per_day=target,
        mg_per_day=total,
        achieved_mg_per_kg_day=round_mg_per_kg(total / request.weight_kg),
        capsules_mg=[c for d in doses for c in d.capsules_mg],
        age_years=age,
    )
    return Regimen(product, request, target, doses, warnings)


def split_daily_total(product: Product, total_mg: int) -> tuple[Dose, Dose]:
    """Most even AM/PM split, larger dose in the evening (domain.md §8 D1). Among capsule
    sets for that split, policy [P]: fewest capsules, then fewest capsules carrying an
    excipient warning, then fewest distinct strengths (fewer lines to dispense), then the
    larger capsules."""
    values = dose_values(product)
    splits = [
        (am, total_mg - am) for am in values if total_mg - am in values and am <= total_mg - am
    ]
    if not splits:
        raise ValueError(f"{total_mg} mg/day cannot be made from {product.display_name} capsules")
    am_mg, pm_mg = min(splits, key=lambda s: s[1] - s[0])
    am_caps, pm_caps = min(
        cartesian(values[am_mg], values[pm_mg]), key=_capsule_preference(product)
    )
    return Dose(DoseTime.AM, am_caps), Dose(DoseTime.PM, pm_caps)


def _capsule_preference(
    item: Product,
) -> Callable[[tuple[tuple[int, ...], tuple[int, ...]]], tuple[object, ...]]:
    def key(pair: tuple[tuple[int, ...], tuple[int, ...]]) -> tuple[object, ...]:
        capsules = pair[0] + pair[1]
        flagged = sum(1 for c in capsules if any(e.applies_to(c) for e in item.excipients))
        larger_first = tuple(-c for c in sorted(capsules, reverse=True))
        return (len(capsules), flagged, len(set(capsules)), larger_first)

    return key


def _allowed_totals(product: Product, request: DoseRequest) -> tuple[int, ...]:
    totals = daily_totals(product)
    if request.prescriber_override:
        return totals
    ceiling = request.weight_kg * product.max_mg_per_kg_day
    return tuple(t for t in totals if t <= ceiling)


def _mg_per_kg_day_problems(product: Product, request: DoseRequest) -> Iterable[Problem]:
    value = request.mg_per_kg_day
    if not value.is_finite() or value <= 0:
        yield Problem("mg_per_kg_day", "The dose must be more than 0 mg/kg/day.")
    elif value > TYPO_LIMIT_MG_PER_KG_DAY:
        yield Problem(
            "mg_per_kg_day",
            f"{format_decimal(value)} mg/kg/day is far above any labelled dose; check the number.",
        )
    elif value > product.max_mg_per_kg_day and not request.prescriber_override:
        yield Problem(
            "mg_per_kg_day",
            f"{format_decimal(value)} mg/kg/day is above the labelled maximum of "
            f"{format_decimal(product.max_mg_per_kg_day)} for {product.display_name}; "
            "it needs a prescriber override.",
        )


def regimen_warnings(
    product: Product,
    request: DoseRequest,
    *,
    target_mg_per_day: Decimal,
    mg_per_day: int,
    achieved_mg_per_kg_day: Decimal,
    capsules_mg: Iterable[int],
    age_years: int | None,
) -> tuple[DoseWarning, ...]:
    """Everything a nurse should see beside the regimen, most severe first."""
    found = [
        *_range_warnings(product, request, achieved_mg_per_kg_day),
        *_reach_warnings(product, request, target_mg_per_day, mg_per_day),
        *_product_warnings(product, frozenset(capsules_mg)),
    ]
    if age_years is not None and (young := age_warning(age_years)) is not None:
        found.append(young)
    rank = list(Severity)
    return tuple(sorted(found, key=lambda w: -rank.index(w.severity)))


def age_warning(age_years: int) -> DoseWarning | None:
    """Under 12: below the labelled age (domain.md §2.1, §6 Minors); the prescriber decides."""
    if age_years >= LABELLED_MIN_AGE_YEARS:
        return None
    return DoseWarning(
        DoseWarningCode.UNDER_LABELLED_AGE,
        Severity.WARNING,
        f"The patient is {age_years}: isotretinoin is labelled from "
        f"{LABELLED_MIN_AGE_YEARS} years; the prescriber decides.",
    )


def _range_warnings(
    product: Product, request: DoseRequest, achieved: Decimal
) -> Iterator[DoseWarning]:
    """Labelled ranges (domain.md §2.1), judged on the achieved, displayed mg/kg/day."""
    usual = (
        f"{format_decimal(product.usual_min_mg_per_kg_day)}–"
        f"{format_decimal(product.usual_max_mg_per_kg_day)} mg/kg/day"
    )
    maximum = format_decimal(product.max_mg_per_kg_day)
    if max(achieved, request.mg_per_kg_day) > product.max_mg_per_kg_day:
        yield DoseWarning(
            DoseWarningCode.ABOVE_MAXIMUM,
            Severity.WARNING,
            f"{achieved} mg/kg/day is above the labelled maximum of {maximum} mg/kg/day for "
            f"{product.display_name}; given on prescriber override.",
        )
    elif achieved > product.usual_max_mg_per_kg_day:
        yield DoseWarning(
            DoseWarningCode.ABOVE_USUAL_RANGE,
            Severity.CAUTION,
            f"{achieved} mg/kg/day is above the usual {usual}; doses up to {maximum} are for "
            "very severe, scarring or mainly truncal acne.",
        )
    elif achieved < product.usual_min_mg_per_kg_day:
        yield DoseWarning(
            DoseWarningCode.BELOW_USUAL_RANGE,
            Severity.INFO,
            f"Low-dose regimen: {achieved} mg/kg/day is below the usual {usual}; the course "
            "takes longer to reach its cumulative target.",
        )


def _reach_warnings(
    product: Product, request: DoseRequest, target: Decimal, mg_per_day: int
) -> Iterator[DoseWarning]:
    """When capsules cannot come near the target (domain.md §8 D1: nearest achievable total)."""
    totals = daily_totals(product)
    wanted = f"the target of {format_decimal(round_mg(target))} mg/day"
    if target < totals[0]:
        yield DoseWarning(
            DoseWarningCode.TARGET_BELOW_SMALLEST,
            Severity.CAUTION,
            f"The smallest twice-daily {product.display_name} regimen, {totals[0]} mg/day, "
            f"is more than {wanted}.",
        )
    elif target > totals[-1]:
        yield DoseWarning(
            DoseWarningCode.TARGET_ABOVE_LARGEST,
            Severity.CAUTION,
            f"The largest {product.display_name} regimen with {MAX_CAPSULES_PER_DOSE} capsules "
            f"per dose, {totals[-1]} mg/day, is less than {wanted}.",
        )
    nearest = min(totals, key=lambda t: (abs(t - target), t))
    if nearest != mg_per_day and not request.prescriber_override:
        yield DoseWarning(
            DoseWarningCode.HELD_AT_MAXIMUM,
            Severity.INFO,
            f"{nearest} mg/day is nearer {wanted} but above the labelled maximum for this "
            f"weight, so {mg_per_day} mg/day was chosen.",
        )


def _product_warnings(product: Product, capsules: frozenset[int]) -> Iterator[DoseWarning]:
    """Formulation and excipient notes (domain.md §2.1 interchangeability, §2.2 excipients)."""
    if product.is_low_dose_formulation:
        yield DoseWarning(
            DoseWarningCode.LOW_DOSE_FORMULATION,
            Severity.CAUTION,
            f"{product.display_name} doses are about 20% lower than conventional isotretinoin "
            "for similar exposure and are not interchangeable with Absorica or other products: "
            f"prescribe and dispense it by name as {product.display_name}.",
        )
    elif product.not_interchangeable_with:
        others = product.not_interchangeable_display or product.not_interchangeable_with
        yield DoseWarning(
            DoseWarningCode.NOT_INTERCHANGEABLE,
            Severity.INFO,
            f"{product.display_name} is not interchangeable with {' or '.join(others)}; "
            "prescribe and dispense it by name.",
        )
    for excipient in product.excipients:
        if any(excipient.applies_to(c) for c in capsules):
            yield DoseWarning(DoseWarningCode.EXCIPIENT, Severity.CAUTION, excipient.note)
