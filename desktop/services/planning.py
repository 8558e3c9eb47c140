"""`isotrack plan`: a course description (JSON text) to the plan's stable JSON (DESIGN.md).

Pure computation: nothing is read from or written to a database. Problems in the file come
back as one InputError whose lines each start with the key's path."""

import json
from datetime import date
from decimal import Decimal
from typing import Any

from desktop.rules.course_description import (
    CourseDescription,
    InvalidCourseDescription,
    check_doses,
    parse_course_description,
)
from desktop.rules.course_description_export import number
from desktop.rules.course_plan import Plan, plan_course
from desktop.rules.formulary import Product
from desktop.rules.ipledge_rule_sets import DEFAULT_MODIFICATION_EFFECTIVE_ON
from desktop.rules.labs import LabProtocol
from desktop.rules.problems import Problem
from desktop.rules.worklist import WorklistItem, WorklistSettings
from desktop.services.catalog.formulary import load_formulary
from desktop.services.catalog.protocols import load_lab_protocol
from desktop.services.errors import InputError, NotFound

PLAN_SCHEMA = "isotrack.plan/1"


def read_course_description(text: str) -> CourseDescription:
    """Parse and check a course description; InputError names every bad key by its path."""
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InputError(
            f"The course file is not valid JSON (line {error.lineno}, column {error.colno}): "
            f"{error.msg}."
        ) from None
    try:
        return parse_course_description(data)
    except InvalidCourseDescription as error:
        raise InputError(problems_text(error.problems)) from None


def problems_text(problems: tuple[Problem, ...]) -> str:
    count = len(problems)
    lines = [f"{p.field}: {p.message}" for p in problems]
    if count == 1:
        return f"The course description has a problem: {lines[0]}"
    return f"The course description has {count} problems:\n  " + "\n  ".join(lines)


def plan_from_json_text(
    text: str,
    *,
    on: date,
    ipledge_modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
    settings: WorklistSettings | None = None,
) -> dict[str, Any]:
    """The `isotrack plan --json` document for the course in `text`, as of `on`."""
    description = read_course_description(text)
    product = _product(description)
    if problems := check_doses(description, product):
        raise InputError(problems_text(problems))
    plan = plan_course(
        description,
        on=on,
        formulary_product=product,
        lab_protocol=_lab_protocol(description),
        ipledge_modification_effective_on=ipledge_modification_effective_on,
        settings=settings,
    )
    return plan_to_json(plan)


def _product(description: CourseDescription) -> Product:
    formulary = load_formulary()
    product = formulary.find(description.product)
    if product is None:
        known = ", ".join(formulary.names)
        raise InputError(f"product: unknown product {description.product!r}. Known: {known}.")
    return product


def _lab_protocol(description: CourseDescription) -> LabProtocol | None:
    if description.lab_protocol is None:
        return None
    try:
        return load_lab_protocol(description.lab_protocol)
    except NotFound as error:
        raise InputError(f"lab_protocol: {error}") from None


def _iso(day: date | None) -> str | None:
    return None if day is None else day.isoformat()


def _amount(value: Decimal | None) -> int | float | None:
    return None if value is None else number(value)


def plan_to_json(plan: Plan) -> dict[str, Any]:
    """DESIGN.md's keys in order, then IsoTrack's extras (`lab_flags`, `warnings`, …)."""
    progress = plan.progress
    return {
        "schema": PLAN_SCHEMA,
        "as_of": plan.as_of.isoformat(),
        "rule_set": plan.rule_set.value,
        "cumulative_mg": _amount(progress.cumulative_mg),
        "cumulative_mg_per_kg": _amount(progress.cumulative_mg_per_kg),
        "target_mg_per_kg": _amount(plan.target_mg_per_kg),
        "remaining_mg": _amount(progress.remaining_mg),
        "days_to_target": progress.days_to_target,
        "projected_last_dose_date": _iso(progress.projected_last_dose_on),
        "fill_window": _fill_window(plan),
        "first_course": _first_course(plan),
        "next_confirmation_test_not_before": _iso(plan.next_confirmation_test_not_before),
        "labs_due": [
            {"panel": d.panel.value, "due_date": d.due_on.isoformat(), "purpose": d.purpose.value}
            for d in plan.labs_due
        ],
        "post_course": _post_course(plan),
        "due": [_due_item(item) for item in plan.due],
        "lab_flags": [
            {
                "date": f.drawn_on.isoformat(),
                "analyte": f.analyte.value,
                "level": f.level.value,
                "message": f.message,
            }
            for f in plan.lab_flags
        ],
        "warnings": list(plan.warnings),
    }


def _due_item(item: WorklistItem) -> dict[str, str]:
    return {
        "kind": item.kind.value,
        "due_date": item.due_on.isoformat(),
        "status": item.status.value,
        "severity": item.severity.value,
        "message": item.message,
    }


def _fill_window(plan: Plan) -> dict[str, str] | None:
    window = plan.fill_window
    if window is None:
        return None
    return {
        "opens": window.opens.isoformat(),
        "closes": window.closes.isoformat(),
        "basis": window.basis.value,
    }


def _first_course(plan: Plan) -> dict[str, str] | None:
    if plan.first_course is None:
        return None
    return {"earliest_confirmation_test": plan.first_course.earliest_confirmation_test.isoformat()}


def _post_course(plan: Plan) -> dict[str, str | None] | None:
    post = plan.post_course
    if post is None:
        return None
    return {
        "pregnancy_test_due": _iso(post.pregnancy_test_due),
        "contraception_until": _iso(post.contraception_until),
        "no_blood_donation_until": post.no_blood_donation_until.isoformat(),
        "no_cosmetic_procedures_until": post.no_cosmetic_procedures_until.isoformat(),
        "earliest_next_course": post.earliest_next_course.isoformat(),
        "end_of_course_pregnancy_test_due": _iso(post.end_of_course_pregnancy_test_due),
        "no_breastfeeding_until": post.no_breastfeeding_until.isoformat(),
    }
