"""Daily regimen in capsules (domain.md §8 D1, §2.1 ranges and label table, §2.2 strengths)."""

from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from desktop.rules.dosing import (
    DAYS_SUPPLY,
    CapsuleSupply,
    DoseRequest,
    DoseTime,
    DoseWarningCode,
    Regimen,
    Severity,
    check_dose_request,
    daily_regimen,
    daily_totals,
    dose_values,
    split_daily_total,
)
from desktop.rules.formulary import Excipient, FoodRequirement, Product

D = Decimal


def conventional(name: str, strengths: tuple[int, ...]) -> Product:
    return Product(
        name, name.title(), strengths, FoodRequirement.WITH_MEAL, D("0.5"), D("1.0"), D("2.0")
    )


GENERIC = conventional("generic", (10, 20, 30, 40))
AMNESTEEM = conventional("amnesteem", (10, 20, 40))
ABSORICA = Product(
    "absorica",
    "Absorica",
    (10, 20, 25, 30, 35, 40),
    FoodRequirement.WITH_OR_WITHOUT_MEAL,
    D("0.5"),
    D("1.0"),
    D("2.0"),
    not_interchangeable_with=("absorica-ld",),
    excipients=(Excipient("tartrazine", "Tartrazine in 25 mg.", frozenset({25})),),
)
ABSORICA_LD = Product(
    "absorica-ld",
    "Absorica LD",
    (8, 16, 20, 24, 28, 32),
    FoodRequirement.WITH_OR_WITHOUT_MEAL,
    D("0.4"),
    D("0.8"),
    D("1.6"),
    is_low_dose_formulation=True,
    not_interchangeable_with=("absorica",),
)
PRODUCTS = (GENERIC, AMNESTEEM, ABSORICA, ABSORICA_LD)


def regimen(product: Product, kg: str, mg_per_kg_day: str, **kw: Any) -> Regimen:
    return daily_regimen(product, DoseRequest(D(kg), D(mg_per_kg_day), **kw))


def codes(product: Product, kg: str, mg_per_kg_day: str, **kw: Any) -> set[DoseWarningCode]:
    return {w.code for w in regimen(product, kg, mg_per_kg_day, **kw).warnings}


# §2.1 label weight table (mg/day at 0.5 / 1 / 2 mg/kg/day) through rule D1: where the label's
# figure cannot be made as AM + PM of 10 mg steps, the nearest total wins, tie → lower.
LABEL_TABLE = [
    ("40", "0.5", 20),
    ("40", "1", 40),
    ("40", "2", 80),
    ("50", "0.5", 20),  # label 25: 20 and 30 equally near → lower
    ("50", "1", 50),
    ("50", "2", 100),
    ("60", "0.5", 30),
    ("60", "1", 60),
    ("60", "2", 120),
    ("70", "0.5", 30),  # label 35: tie → 30
    ("70", "1", 70),
    ("70", "2", 140),
    ("80", "0.5", 40),
    ("80", "1", 80),
    ("80", "2", 160),
    ("90", "0.5", 40),  # label 45: tie → 40
    ("90", "1", 90),
    ("90", "2", 160),  # label 180: above 2 × 40 + 2 × 40, the largest regimen
    ("100", "0.5", 50),
    ("100", "1", 100),
    ("100", "2", 160),  # label 200
]


@pytest.mark.parametrize(
    ("kg", "mg_per_kg_day", "mg_per_day"),
    [pytest.param(*row, id=f"§2.1-label-{row[0]}kg-{row[1]}") for row in LABEL_TABLE],
)
def test_label_weight_table_through_rule_d1(kg: str, mg_per_kg_day: str, mg_per_day: int) -> None:
    result = regimen(GENERIC, kg, mg_per_kg_day)
    assert result.target_mg_per_day == D(kg) * D(mg_per_kg_day)
    assert result.mg_per_day == mg_per_day


@pytest.mark.parametrize(
    ("product", "kg", "mg_per_kg_day", "am", "pm", "achieved"),
    [
        pytest.param(GENERIC, "60", "0.5", (10,), (20,), "0.50", id="§2.1-60kg-30mg-larger-pm"),
        pytest.param(GENERIC, "60", "1", (30,), (30,), "1.00", id="§8D1-even-split"),
        pytest.param(GENERIC, "70", "1", (30,), (40,), "1.00", id="§8D1-70mg-30am-40pm"),
        pytest.param(GENERIC, "90", "1", (40,), (10, 40), "1.00", id="§8D1-fewest-strengths"),
        pytest.param(GENERIC, "100", "1", (10, 40), (10, 40), "1.00", id="§8D1-even-over-fewer"),
        pytest.param(AMNESTEEM, "60", "1", (10, 20), (10, 20), "1.00", id="§2.2-amnesteem-no-30"),
        pytest.param(AMNESTEEM, "50", "1", (20,), (10, 20), "1.00", id="§2.2-amnesteem-50mg"),
        pytest.param(ABSORICA, "50", "1", (25,), (25,), "1.00", id="§2.2-absorica-25"),
        pytest.param(ABSORICA, "70", "0.5", (10,), (25,), "0.50", id="§2.2-absorica-35mg"),
        pytest.param(ABSORICA_LD, "70", "0.4", (8,), (20,), "0.40", id="§2.1-LD-70kg-28mg"),
        pytest.param(ABSORICA_LD, "70", "0.8", (28,), (28,), "0.80", id="§2.1-LD-70kg-56mg"),
        pytest.param(ABSORICA_LD, "70", "1.6", (28, 28), (28, 28), "1.60", id="§2.1-LD-70kg-112mg"),
        pytest.param(GENERIC, "32", "0.6", (10,), (10,), "0.63", id="§8D1-0.625-rounds-half-up"),
        pytest.param(GENERIC, "72.5", "0.5", (20,), (20,), "0.55", id="§8D1-36.25-nearest-40"),
    ],
)
def test_regimen_capsules_and_achieved_dose(
    product: Product,
    kg: str,
    mg_per_kg_day: str,
    am: tuple[int, ...],
    pm: tuple[int, ...],
    achieved: str,
) -> None:
    result = regimen(product, kg, mg_per_kg_day)
    assert [(d.time, d.capsules_mg) for d in result.doses] == [(DoseTime.AM, am), (DoseTime.PM, pm)]
    assert result.achieved_mg_per_kg_day == D(achieved)


def test_tartrazine_capsule_is_avoided_when_an_equal_choice_exists() -> None:
    """Policy [P] under §8 D1: 50 mg per dose is 25+25, 10+40 or 20+30 (two capsules each);
    the 25 mg capsule (tartrazine, §2.2) loses the tie, then fewest strengths (10+40)."""
    am, pm = split_daily_total(ABSORICA, 100)
    assert (am.capsules_mg, pm.capsules_mg) == ((10, 40), (10, 40))
    am, pm = split_daily_total(ABSORICA, 50)
    assert (am.capsules_mg, pm.capsules_mg) == ((25,), (25,))  # one capsule each beats two


def test_capsules_for_a_30_day_fill() -> None:
    """§1.6: at most a 30-day supply per fill."""
    result = regimen(GENERIC, "90", "1")
    assert DAYS_SUPPLY == 30
    assert result.capsules_per_fill == (CapsuleSupply(10, 30), CapsuleSupply(40, 60))


def test_daily_totals_need_a_morning_and_an_evening_dose() -> None:
    """§8 D1: the smallest total is two of the smallest capsule."""
    assert daily_totals(GENERIC)[0] == 20
    assert daily_totals(GENERIC)[-1] == 160
    assert daily_totals(ABSORICA_LD)[0] == 16
    assert dose_values(AMNESTEEM)[30] == ((10, 20),)  # §2.2: no 30 mg Amnesteem capsule


@pytest.mark.parametrize(
    ("product", "kg", "mg_per_kg_day", "kw", "expected"),
    [
        pytest.param(GENERIC, "70", "1", {}, set(), id="§2.1-usual-no-warning"),
        pytest.param(
            GENERIC, "70", "1.5", {}, {DoseWarningCode.ABOVE_USUAL_RANGE}, id="§2.1-above-usual"
        ),
        pytest.param(
            GENERIC, "50", "0.5", {}, {DoseWarningCode.BELOW_USUAL_RANGE}, id="§2.1-low-dose-0.40"
        ),
        pytest.param(
            GENERIC,
            "70",
            "2.2",
            {"prescriber_override": True},
            {DoseWarningCode.ABOVE_MAXIMUM},
            id="§2.1-above-max-with-override",
        ),
        pytest.param(
            GENERIC,
            "68",
            "2",
            {},
            {DoseWarningCode.ABOVE_USUAL_RANGE, DoseWarningCode.HELD_AT_MAXIMUM},
            id="§2.1-nearest-140-over-max-held-at-130",
        ),
        pytest.param(
            GENERIC,
            "20",
            "0.25",
            {},
            {DoseWarningCode.TARGET_BELOW_SMALLEST},
            id="§8D1-target-below-smallest",
        ),
        pytest.param(
            GENERIC,
            "100",
            "2",
            {},
            {DoseWarningCode.ABOVE_USUAL_RANGE, DoseWarningCode.TARGET_ABOVE_LARGEST},
            id="§8D1-target-above-largest",
        ),
        pytest.param(
            ABSORICA_LD,
            "70",
            "0.8",
            {},
            {DoseWarningCode.LOW_DOSE_FORMULATION},
            id="§2.1-LD-stated-separately",
        ),
        pytest.param(
            ABSORICA,
            "50",
            "1",
            {},
            {DoseWarningCode.EXCIPIENT, DoseWarningCode.NOT_INTERCHANGEABLE},
            id="§2.2-tartrazine-25mg",
        ),
        pytest.param(
            ABSORICA,
            "60",
            "1",
            {},
            {DoseWarningCode.NOT_INTERCHANGEABLE},
            id="§2.2-no-25mg-no-tartrazine",
        ),
        pytest.param(
            GENERIC,
            "45",
            "1",
            {"birth_date": date(2014, 6, 2), "on": date(2026, 6, 1)},
            {DoseWarningCode.UNDER_LABELLED_AGE},
            id="§2.1-age-11-day-before-12th-birthday",
        ),
        pytest.param(
            GENERIC,
            "45",
            "1",
            {"birth_date": date(2014, 6, 1), "on": date(2026, 6, 1)},
            set(),
            id="§2.1-age-12-on-birthday",
        ),
    ],
)
def test_warnings(
    product: Product,
    kg: str,
    mg_per_kg_day: str,
    kw: dict[str, Any],
    expected: set[DoseWarningCode],
) -> None:
    assert codes(product, kg, mg_per_kg_day, **kw) == expected


def test_warnings_come_most_severe_first() -> None:
    result = regimen(ABSORICA, "45", "1", birth_date=date(2015, 1, 1), on=date(2026, 1, 1))
    severities = [w.severity for w in result.warnings]
    assert severities[0] is Severity.WARNING
    assert severities == sorted(severities, key=lambda s: -list(Severity).index(s))


@pytest.mark.parametrize(
    ("product", "kg", "mg_per_kg_day", "kw", "field", "says"),
    [
        pytest.param(GENERIC, "70", "2.5", {}, "mg_per_kg_day", "override", id="§2.1-above-max"),
        pytest.param(ABSORICA_LD, "70", "1.7", {}, "mg_per_kg_day", "1.6", id="§2.1-LD-max-1.6"),
        pytest.param(
            GENERIC,
            "70",
            "10",
            {"prescriber_override": True},
            "mg_per_kg_day",
            "check",
            id="policy-typo-limit",
        ),
        pytest.param(GENERIC, "70", "0", {}, "mg_per_kg_day", "more than 0", id="zero-dose"),
        pytest.param(GENERIC, "70", "-1", {}, "mg_per_kg_day", "more than 0", id="negative-dose"),
        pytest.param(GENERIC, "7", "1", {}, "weight_kg", "between", id="weight-too-low"),
        pytest.param(
            GENERIC,
            "70",
            "1",
            {"birth_date": date(2010, 1, 1)},
            "birth_date",
            "both",
            id="§2.1-age-needs-date",
        ),
        pytest.param(
            GENERIC,
            "70",
            "1",
            {"birth_date": date(2030, 1, 1), "on": date(2026, 1, 1)},
            "birth_date",
            "after",
            id="born-after-dosing",
        ),
    ],
)
def test_requests_refused(
    product: Product,
    kg: str,
    mg_per_kg_day: str,
    kw: dict[str, Any],
    field: str,
    says: str,
) -> None:
    request = DoseRequest(D(kg), D(mg_per_kg_day), **kw)
    problems = check_dose_request(product, request)
    assert [p.field for p in problems] == [field]
    assert says in problems[0].message
    with pytest.raises(ValueError, match=says):
        daily_regimen(product, request)


# ---- properties -------------------------------------------------------------------------

weights = st.decimals(min_value=D(20), max_value=D(300), places=1, allow_nan=False)
per_kg = st.decimals(min_value=D("0.01"), max_value=D("1.6"), places=2, allow_nan=False)


@given(st.sampled_from(PRODUCTS), weights, per_kg)
def test_regimen_is_made_of_real_capsules_one_or_two_per_dose(
    product: Product, kg: Decimal, mg_per_kg_day: Decimal
) -> None:
    result = daily_regimen(product, DoseRequest(kg, mg_per_kg_day))
    am, pm = result.doses
    assert (am.time, pm.time) == (DoseTime.AM, DoseTime.PM)
    for dose in result.doses:
        assert 1 <= len(dose.capsules_mg) <= 2
        assert set(dose.capsules_mg) <= set(product.strengths_mg)
    assert am.mg <= pm.mg
    assert result.mg_per_day == am.mg + pm.mg


@given(st.sampled_from(PRODUCTS), weights, per_kg)
def test_total_is_the_nearest_allowed_and_split_most_even(
    product: Product, kg: Decimal, mg_per_kg_day: Decimal
) -> None:
    """§8 D1 checked by brute force over every pair of 1–2-capsule doses."""
    result = daily_regimen(product, DoseRequest(kg, mg_per_kg_day))
    target = kg * mg_per_kg_day
    values = dose_values(product)
    allowed = {a + b for a in values for b in values if a + b <= kg * product.max_mg_per_kg_day}
    best = min(allowed, key=lambda t: (abs(t - target), t))
    assert result.mg_per_day == best
    gaps = [b - a for a in values for b in values if a + b == best and a <= b]
    am, pm = result.doses
    assert pm.mg - am.mg == min(gaps)
    assert result.mg_per_day <= kg * product.max_mg_per_kg_day


@given(st.sampled_from(PRODUCTS), weights, per_kg)
def test_achieved_is_mg_per_day_over_weight_to_two_decimals(
    product: Product, kg: Decimal, mg_per_kg_day: Decimal
) -> None:
    result = daily_regimen(product, DoseRequest(kg, mg_per_kg_day))
    assert abs(result.achieved_mg_per_kg_day - result.mg_per_day / kg) <= D("0.005")
    assert result.achieved_mg_per_kg_day == result.achieved_mg_per_kg_day.quantize(D("0.01"))
