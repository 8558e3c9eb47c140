"""The course description (DESIGN.md, input of `isotrack plan`): typed facts, strict parsing.

Unknown keys are refused, naming the key and its path (`doses[1].mg_perday`); nothing is
guessed. Facts that are clinically wrong but true (a positive test, a single contraceptive
method) are accepted: the plan flags them.
"""

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from desktop.rules.consents import ConsentForm
from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.course_description_reader import Reader
from desktop.rules.cumulative_dose import (
    DosePeriod,
    WeightEntry,
    check_target_mg_per_kg,
    weight_on,
)
from desktop.rules.dosing import check_daily_dose
from desktop.rules.formulary import Product
from desktop.rules.ipledge import Fill, check_fill
from desktop.rules.lab_analytes import (
    LEGACY_KEYS,
    Analyte,
    AnalyteResult,
    LabUnit,
    check_lab_results,
    from_legacy_keys,
)
from desktop.rules.labs import LabDraw, LabPanel, LabResults
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestMethod,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
    VerificationMethod,
)
from desktop.rules.problems import Problem
from desktop.rules.units import Weight, WeightUnit, check_weight_kg, lb_to_kg

# One word per key reads better here than fifteen quoted lines.
DESIGN_KEYS = tuple(
    """patient product start_date end_date target_mg_per_kg lab_protocol weights doses
    missed_days pregnancy_tests counseling_confirmations comprehension_answers contraception
    fills labs""".split()  # noqa: SIM905
)
EXTENSION_KEYS = ("visits", "next_visit_date", "consents", "home_pregnancy_tests_allowed")
TOP_KEYS = DESIGN_KEYS + EXTENSION_KEYS
"""DESIGN.md's keys, then IsoTrack's optional extensions (visits, consents, home tests)."""
REQUIRED_TOP_KEYS = ("patient", "product", "start_date", "target_mg_per_kg")
LAB_RESULT_KEYS = (*LEGACY_KEYS, *(a.value for a in Analyte))
"""`labs[].results`: the first flat keys (`"triglycerides_mg_dl": 140`), or an analyte with
its unit and the lab's range (`"hdl": {"value": 38, "unit": "mg/dL", "lower_limit": 40}`)."""
LAB_VALUE_KEYS = ("value", "unit", "lower_limit", "upper_limit")
DOSE_OVERRIDE_KEY = "prescriber_override"
"""A dose entry's optional key: `true` when the prescriber ordered it above the product's
labelled maximum (the name of the `isotrack dose` option and of the stored flag)."""


class InvalidCourseDescription(ValueError):
    """The description cannot be used; `problems` name each field by its path."""

    def __init__(self, problems: tuple[Problem, ...]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))


@dataclass(frozen=True, slots=True)
class PatientFacts:
    birth_date: date
    can_get_pregnant: bool
    """The prescriber-assigned iPLEDGE category (domain.md §1.2), never derived from sex."""


@dataclass(frozen=True, slots=True)
class WeightMeasurement:
    measured_on: date
    weight: Weight
    """As entered (kg or lb) and in kg."""


@dataclass(frozen=True, slots=True)
class SignedConsent:
    form: ConsentForm
    signed_on: date


@dataclass(frozen=True, slots=True)
class CourseDescription:
    patient: PatientFacts
    product: str
    start_on: date
    end_on: date | None
    """The last dose, when the course has ended or its end is planned."""
    target_mg_per_kg: Decimal
    lab_protocol: str | None
    weights: tuple[WeightMeasurement, ...] = ()
    doses: tuple[DosePeriod, ...] = ()
    missed_days: tuple[date, ...] = ()
    pregnancy_tests: tuple[PregnancyTest, ...] = ()
    counseling_confirmations: tuple[date, ...] = ()
    comprehension_answers: tuple[date, ...] = ()
    contraception: tuple[ContraceptionPeriod, ...] = ()
    fills: tuple[Fill, ...] = ()
    labs: tuple[LabDraw, ...] = ()
    visits: tuple[date, ...] = ()
    next_visit_on: date | None = None
    consents: tuple[SignedConsent, ...] = ()
    home_pregnancy_tests_allowed: bool = False


def parse_course_description(data: object) -> CourseDescription:
    """Typed facts from parsed JSON, or InvalidCourseDescription listing every problem."""
    reader = Reader()
    top = reader.table(data, "", keys=TOP_KEYS, required=REQUIRED_TOP_KEYS)
    description = None if top is None else _description(reader, top)
    if reader.problems or description is None:
        raise InvalidCourseDescription(tuple(reader.problems))
    _check_order(reader, description)
    if reader.problems:
        raise InvalidCourseDescription(tuple(reader.problems))
    return description


def _description(r: Reader, top: Mapping[str, Any]) -> CourseDescription | None:
    patient = _patient(r, top["patient"])
    product = r.text(top["product"], "product")
    start_on = r.day(top["start_date"], "start_date")
    target = r.positive(top["target_mg_per_kg"], "target_mg_per_kg")
    if target is not None and (problem := check_target_mg_per_kg(target)) is not None:
        r.fail(problem.field, problem.message)
    lists = {key: _list(r, top, key, item) for key, item in _LIST_ITEMS.items()}
    allows_home = r.optional(
        top.get("home_pregnancy_tests_allowed"), "home_pregnancy_tests_allowed", r.boolean
    )
    end_on = r.optional(top.get("end_date"), "end_date", r.day)
    lab_protocol = r.optional(top.get("lab_protocol"), "lab_protocol", r.text)
    next_visit_on = r.optional(top.get("next_visit_date"), "next_visit_date", r.day)
    if r.problems or patient is None or product is None or start_on is None or target is None:
        return None
    return CourseDescription(
        patient=patient,
        product=product,
        start_on=start_on,
        end_on=end_on,
        target_mg_per_kg=target,
        lab_protocol=lab_protocol,
        next_visit_on=next_visit_on,
        home_pregnancy_tests_allowed=bool(allows_home),
        **lists,
    )


def _list(
    r: Reader, top: Mapping[str, Any], key: str, item: Callable[[Reader, Any, str], Any]
) -> tuple[Any, ...]:
    values = r.array(top.get(key, []), key)
    parsed = (item(r, value, f"{key}[{index}]") for index, value in enumerate(values))
    return tuple(p for p in parsed if p is not None)


def _day(r: Reader, value: object, path: str) -> date | None:
    return r.day(value, path)


def _patient(r: Reader, data: object) -> PatientFacts | None:
    table = r.table(data, "patient", keys=("birth_date", "can_get_pregnant"))
    if table is None:
        return None
    birth = r.day(table["birth_date"], "patient.birth_date")
    can = r.boolean(table["can_get_pregnant"], "patient.can_get_pregnant")
    return None if birth is None or can is None else PatientFacts(birth, can)


def _weight(r: Reader, data: object, path: str) -> WeightMeasurement | None:
    table = r.table(data, path, keys=("date", "kg", "lb"), required=("date",))
    if table is None:
        return None
    units = [u for u in WeightUnit if u.value in table]
    if len(units) != 1:
        r.fail(path, 'Give the weight once, as "kg" or as "lb".')
        return None
    unit = units[0]
    entered = r.positive(table[unit.value], f"{path}.{unit.value}")
    measured_on = r.day(table["date"], f"{path}.date")
    if entered is None or measured_on is None:
        return None
    weight_kg = entered if unit is WeightUnit.KG else lb_to_kg(entered)
    if (problem := check_weight_kg(weight_kg, field=f"{path}.{unit.value}")) is not None:
        r.fail(problem.field, problem.message)
        return None
    return WeightMeasurement(measured_on, Weight(weight_kg, entered, unit))


def _dose(r: Reader, data: object, path: str) -> DosePeriod | None:
    """0 mg/day is a hold (domain.md §8 C1: not a dosing day). `prescriber_override` marks a
    dose the prescriber ordered above the product's labelled maximum (`check_doses`)."""
    keys = ("from", "mg_per_day", DOSE_OVERRIDE_KEY)
    table = r.table(data, path, keys=keys, required=keys[:2])
    if table is None:
        return None
    starts_on = r.day(table["from"], f"{path}.from")
    mg = r.not_negative(table["mg_per_day"], f"{path}.mg_per_day")
    override = r.optional(table.get(DOSE_OVERRIDE_KEY), f"{path}.{DOSE_OVERRIDE_KEY}", r.boolean)
    if starts_on is None or mg is None:
        return None
    return DosePeriod(starts_on, mg, prescriber_override=bool(override))


_TEST_OPTIONAL = ("setting", "method", "verified_by", "verification_method", "clia_certified_lab")


def _pregnancy_test(r: Reader, data: object, path: str) -> PregnancyTest | None:
    keys = ("specimen_date", "result", "purpose", *_TEST_OPTIONAL)
    table = r.table(data, path, keys=keys, required=keys[:3])
    if table is None:
        return None
    specimen_on = r.day(table["specimen_date"], f"{path}.specimen_date")
    result = r.choice(table["result"], f"{path}.result", PregnancyTestResult)
    purpose = r.choice(table["purpose"], f"{path}.purpose", PregnancyTestPurpose)
    if specimen_on is None or result is None or purpose is None:
        return None
    return PregnancyTest(
        purpose=purpose,
        specimen_on=specimen_on,
        result=result,
        setting=r.optional_choice(table, "setting", path, PregnancyTestSetting),
        method=r.optional_choice(table, "method", path, PregnancyTestMethod),
        verified_by=r.optional(table.get("verified_by"), f"{path}.verified_by", r.text) or "",
        verification_method=r.optional_choice(
            table, "verification_method", path, VerificationMethod
        ),
        clia_certified_lab=r.optional(
            table.get("clia_certified_lab"), f"{path}.clia_certified_lab", r.boolean
        ),
    )


def _contraception(r: Reader, data: object, path: str) -> ContraceptionPeriod | None:
    keys = ("from", "primary", "secondary", "abstinence")
    table = r.table(data, path, keys=keys, required=("from",))
    if table is None:
        return None
    starts_on = r.day(table["from"], f"{path}.from")
    abstinence = r.optional(table.get("abstinence"), f"{path}.abstinence", r.boolean) or False
    primary = r.optional_choice(table, "primary", path, ContraceptionMethod, case_blind=True)
    secondary = r.optional_choice(table, "secondary", path, ContraceptionMethod, case_blind=True)
    if not abstinence and primary is None and secondary is None and not r.problems:
        r.fail(path, 'Give the methods ("primary", "secondary") or "abstinence": true.')
    if starts_on is None:
        return None
    return ContraceptionPeriod(starts_on, primary, secondary, abstinence)


def _fill(r: Reader, data: object, path: str) -> Fill | None:
    table = r.table(data, path, keys=("date", "days_supply"))
    if table is None:
        return None
    filled_on = r.day(table["date"], f"{path}.date")
    days = r.whole_number(table["days_supply"], f"{path}.days_supply")
    if filled_on is None or days is None:
        return None
    fill = Fill(filled_on, days)
    for problem in check_fill(fill):
        r.fail(f"{path}.{problem.field}", problem.message)
    return fill


def _lab(r: Reader, data: object, path: str) -> LabDraw | None:
    table = r.table(data, path, keys=("date", "panel", "results"), required=("date", "panel"))
    if table is None:
        return None
    drawn_on = r.day(table["date"], f"{path}.date")
    panel = r.choice(table["panel"], f"{path}.panel", LabPanel)
    results = _lab_results(r, table.get("results", {}), f"{path}.results")
    if drawn_on is None or panel is None or results is None:
        return None
    for problem in check_lab_results(panel, results):
        r.fail(f"{path}.results.{problem.field}", problem.message)
    return LabDraw(drawn_on, panel, results)


def _lab_results(r: Reader, data: object, path: str) -> LabResults | None:
    values = r.table(data, path, keys=LAB_RESULT_KEYS, required=())
    if values is None:
        return None
    flat = {
        key: _flat_number(r, key, value, f"{path}.{key}")
        for key, value in values.items()
        if key in LEGACY_KEYS
    }
    found = [
        _lab_value(r, value, f"{path}.{key}", Analyte(key))
        for key, value in values.items()
        if key not in LEGACY_KEYS and key in LAB_RESULT_KEYS
    ]
    try:
        return LabResults([*(f for f in found if f is not None), *from_legacy_keys(flat)])
    except ValueError as error:
        r.fail(path, f"Give each analyte once ({error}).")
        return None


def _flat_number(r: Reader, key: str, value: object, path: str) -> Decimal | None:
    """A value may be 0 (as in the app); an upper limit of 0 could judge nothing."""
    if LEGACY_KEYS[key][2] == "upper_limit":
        return r.positive(value, path)
    return r.not_negative(value, path)


def _lab_value(r: Reader, data: object, path: str, analyte: Analyte) -> AnalyteResult | None:
    """One analyte as the lab reported it; 0 is a value, an upper limit must be above 0."""
    table = r.table(data, path, keys=LAB_VALUE_KEYS, required=("value", "unit"))
    if table is None:
        return None
    value = r.not_negative(table["value"], f"{path}.value")
    unit = r.choice(table["unit"], f"{path}.unit", LabUnit)
    low = r.optional(table.get("lower_limit"), f"{path}.lower_limit", r.not_negative)
    high = r.optional(table.get("upper_limit"), f"{path}.upper_limit", r.positive)
    if value is None or unit is None:
        return None
    return AnalyteResult(analyte, value, unit, low, high)


def _consent(r: Reader, data: object, path: str) -> SignedConsent | None:
    table = r.table(data, path, keys=("form", "signed_date"))
    if table is None:
        return None
    form = r.choice(table["form"], f"{path}.form", ConsentForm)
    signed_on = r.day(table["signed_date"], f"{path}.signed_date")
    return None if form is None or signed_on is None else SignedConsent(form, signed_on)


_LIST_ITEMS: Mapping[str, Callable[[Reader, Any, str], Any]] = {
    "weights": _weight,
    "doses": _dose,
    "missed_days": _day,
    "pregnancy_tests": _pregnancy_test,
    "counseling_confirmations": _day,
    "comprehension_answers": _day,
    "contraception": _contraception,
    "fills": _fill,
    "labs": _lab,
    "visits": _day,
    "consents": _consent,
}
"""Each list key and how one item is read; every list is read, so every problem is listed."""


def _check_order(r: Reader, d: CourseDescription) -> None:
    """Dates in order: birth < start ≤ end; each list ascending (domain.md §8: dates)."""
    if d.start_on <= d.patient.birth_date:
        r.fail("start_date", "The course must start after the patient's birth date.")
    if d.end_on is not None and d.end_on < d.start_on:
        r.fail("end_date", "The end date (last dose) cannot be before the start date.")
    if d.doses and d.doses[0].starts_on != d.start_on:
        r.fail("doses[0].from", "The first dose period must start on the start_date.")
    lists: Sequence[tuple[str, str, Sequence[date], bool]] = (
        ("weights", "date", [w.measured_on for w in d.weights], True),
        ("doses", "from", [p.starts_on for p in d.doses], True),
        ("missed_days", "", d.missed_days, True),
        ("pregnancy_tests", "specimen_date", [t.specimen_on for t in d.pregnancy_tests], False),
        ("counseling_confirmations", "", d.counseling_confirmations, True),
        ("comprehension_answers", "", d.comprehension_answers, True),
        ("contraception", "from", [c.starts_on for c in d.contraception], True),
        ("fills", "date", [f.filled_on for f in d.fills], True),
        ("labs", "date", [lab.drawn_on for lab in d.labs], False),
        ("visits", "", d.visits, True),
    )
    for key, leaf, days, strictly in lists:
        r.ascending(key, leaf, days, strictly=strictly)
    for index, day in enumerate(d.missed_days):
        if day < d.start_on or (d.end_on is not None and day > d.end_on):
            r.fail(f"missed_days[{index}]", "A missed day must fall within the course.")


def check_doses(d: CourseDescription, product: Product) -> tuple[Problem, ...]:
    """Each dose against the product's labelled maximum in mg/kg/day with the lightest weight
    in force while it lasts (domain.md §2.1, §8 C1: the weight in effect each day), unless the
    entry carries `"prescriber_override": true`. Without weights nothing can be judged."""
    weights = [WeightEntry(w.measured_on, w.weight.weight_kg) for w in d.weights]
    if not weights:
        return ()
    problems = []
    for index, period in enumerate(d.doses):
        if period.mg_per_day == 0:
            continue
        following = d.doses[index + 1].starts_on if index + 1 < len(d.doses) else None
        lightest = min(_weights_during(weights, period.starts_on, following, d.end_on))
        problem = check_daily_dose(
            product,
            period.mg_per_day,
            lightest,
            prescriber_override=period.prescriber_override,
            field=f"doses[{index}].mg_per_day",
            how_to_override=(
                f'if the prescriber ordered it, add "{DOSE_OVERRIDE_KEY}": true to this dose'
            ),
        )
        if problem is not None:
            problems.append(problem)
    return tuple(problems)


def _weights_during(
    weights: Sequence[WeightEntry], first: date, following: date | None, end_on: date | None
) -> list[Decimal]:
    """The weight in force on `first` and every weight measured after it while the dose
    lasts (until the next dose starts, or the last dose)."""
    in_force = [weight_on(weights, first)]
    for entry in weights:
        after_first = entry.measured_on > first
        before_next = following is None or entry.measured_on < following
        within_course = end_on is None or entry.measured_on <= end_on
        if after_first and before_next and within_course:
            in_force.append(entry.weight_kg)
    return in_force
