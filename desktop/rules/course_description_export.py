"""A course description back to JSON-ready data: parsing the result gives the same facts."""

from collections.abc import Callable, Sequence
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from desktop.rules.contraception import ContraceptionPeriod
from desktop.rules.course_description import (
    DOSE_OVERRIDE_KEY,
    CourseDescription,
    WeightMeasurement,
)
from desktop.rules.cumulative_dose import DosePeriod
from desktop.rules.lab_analytes import legacy_keys_of, result_fields
from desktop.rules.labs import LabDraw
from desktop.rules.pregnancy_tests import PregnancyTest

_T = TypeVar("_T")

JsonNumber = int | float


def number(value: Decimal) -> JsonNumber:
    """Whole values as int, others as float: json writes a float as its shortest repr, which
    reads back (parse_float=Decimal) as the same decimal for values typed by people."""
    return int(value) if value == value.to_integral_value() else float(value)


def course_description_to_dict(description: CourseDescription) -> dict[str, Any]:
    """DESIGN.md's keys always; IsoTrack's optional extensions only when they hold facts."""
    d = description
    data: dict[str, Any] = {
        "patient": {
            "birth_date": d.patient.birth_date.isoformat(),
            "can_get_pregnant": d.patient.can_get_pregnant,
        },
        "product": d.product,
        "start_date": d.start_on.isoformat(),
        "end_date": _iso(d.end_on),
        "target_mg_per_kg": number(d.target_mg_per_kg),
        "lab_protocol": d.lab_protocol,
        "weights": _each(d.weights, _weight),
        "doses": _each(d.doses, _dose),
        "missed_days": [day.isoformat() for day in d.missed_days],
        "pregnancy_tests": _each(d.pregnancy_tests, _pregnancy_test),
        "counseling_confirmations": [day.isoformat() for day in d.counseling_confirmations],
        "comprehension_answers": [day.isoformat() for day in d.comprehension_answers],
        "contraception": _each(d.contraception, _contraception),
        "fills": [{"date": f.filled_on.isoformat(), "days_supply": f.days_supply} for f in d.fills],
        "labs": _each(d.labs, _lab),
    }
    if d.visits:
        data["visits"] = [day.isoformat() for day in d.visits]
    if d.next_visit_on is not None:
        data["next_visit_date"] = d.next_visit_on.isoformat()
    if d.consents:
        data["consents"] = [
            {"form": c.form.value, "signed_date": c.signed_on.isoformat()} for c in d.consents
        ]
    if d.home_pregnancy_tests_allowed:
        data["home_pregnancy_tests_allowed"] = True
    return data


def _each(items: Sequence[_T], convert: Callable[[_T], dict[str, Any]]) -> list[dict[str, Any]]:
    return [convert(item) for item in items]


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _weight(w: WeightMeasurement) -> dict[str, Any]:
    """In the unit it was entered, so lb stays lb."""
    return {
        "date": w.measured_on.isoformat(),
        w.weight.entered_unit.value: number(w.weight.entered),
    }


def _dose(p: DosePeriod) -> dict[str, Any]:
    """The override key only where the prescriber gave one."""
    data: dict[str, Any] = {"from": p.starts_on.isoformat(), "mg_per_day": number(p.mg_per_day)}
    if p.prescriber_override:
        data[DOSE_OVERRIDE_KEY] = True
    return data


def _pregnancy_test(t: PregnancyTest) -> dict[str, Any]:
    data: dict[str, Any] = {
        "specimen_date": t.specimen_on.isoformat(),
        "result": t.result.value,
        "purpose": t.purpose.value,
    }
    optional = {
        "setting": t.setting.value if t.setting else None,
        "method": t.method.value if t.method else None,
        "verified_by": t.verified_by or None,
        "verification_method": t.verification_method.value if t.verification_method else None,
        "clia_certified_lab": t.clia_certified_lab,
    }
    data.update({key: value for key, value in optional.items() if value is not None})
    return data


def _contraception(c: ContraceptionPeriod) -> dict[str, Any]:
    data: dict[str, Any] = {"from": c.starts_on.isoformat()}
    if c.primary_method is not None:
        data["primary"] = c.primary_method.value
    if c.secondary_method is not None:
        data["secondary"] = c.secondary_method.value
    if c.abstinence:
        data["abstinence"] = True
    return data


def _lab(draw: LabDraw) -> dict[str, Any]:
    """Each result under the first flat keys where they say it all (`triglycerides_mg_dl`),
    else as an object with its unit and the lab's range."""
    results: dict[str, Any] = {}
    for result in draw.results.values:
        flat = legacy_keys_of(result)
        if flat is None:
            results[result.analyte.value] = result_fields(result, number)
        else:
            results.update({key: number(value) for key, value in flat.items()})
    data: dict[str, Any] = {"date": draw.drawn_on.isoformat(), "panel": draw.panel.value}
    if results:
        data["results"] = results
    return data
