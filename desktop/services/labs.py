"""Lab orders and results per course (domain.md §3): what was drawn, what it showed, and the
flags the clinic's protocol raises on it."""

import json
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import LabResultRow
from desktop.rules.dates import implausible_dates
from desktop.rules.lab_analytes import (
    LEGACY_KEYS,
    Analyte,
    AnalyteResult,
    LabUnit,
    check_lab_results,
    from_legacy_keys,
    result_fields,
)
from desktop.rules.labs import LabDraw, LabFlag, LabPanel, LabResults, flag_results
from desktop.rules.problems import Problem
from desktop.services.catalog.protocols import load_lab_protocol
from desktop.services.context import Context
from desktop.services.course_facts import audit_fact, course_for_facts
from desktop.services.errors import ValidationFailed
from desktop.services.roles import Permission, require
from desktop.services.unit_of_work import unit_of_work

# Looked up by stored value rather than Enum(value): a clinic-wide worklist refresh reads
# every course's lab rows (56,000 on the 10,000-patient benchmark).
_ANALYTES = {a.value: a for a in Analyte}
_UNITS = {u.value: u for u in LabUnit}


@dataclass(frozen=True, slots=True)
class LabEntryDraft:
    course_id: int
    panel: LabPanel
    ordered_on: date | None
    drawn_on: date | None
    results: LabResults = field(default_factory=LabResults)


@dataclass(frozen=True, slots=True)
class LabRecord:
    id: int
    panel: LabPanel
    ordered_on: date | None
    drawn_on: date | None
    results: LabResults
    flags: tuple[LabFlag, ...]

    @property
    def is_resulted(self) -> bool:
        return self.drawn_on is not None and bool(self.results)


def results_to_json(results: LabResults) -> str:
    """`{analyte: {"value", "unit", "lower_limit", "upper_limit"}}`, numbers as the digits
    typed; a limit the lab did not give is left out."""
    return json.dumps({r.analyte.value: result_fields(r, str) for r in results.values})


def results_from_json(text: str) -> LabResults:
    """Reads both shapes: the catalogue's objects, and the flat keys of rows saved before it
    (`{"triglycerides_mg_dl": "412", "alt_u_l": "52", "alt_uln_u_l": "40"}`)."""
    stored: dict[str, Any] = json.loads(text)
    objects = [
        _result(_ANALYTES[key], entry)
        for key, entry in stored.items()
        if isinstance(entry, dict) and key in _ANALYTES
    ]
    if flat := {k: Decimal(v) for k, v in stored.items() if k in LEGACY_KEYS}:
        objects += from_legacy_keys(flat)
    return LabResults(objects)


def _result(analyte: Analyte, entry: dict[str, str]) -> AnalyteResult:
    low, high = entry.get("lower_limit"), entry.get("upper_limit")
    return AnalyteResult(
        analyte,
        Decimal(entry["value"]),
        _UNITS[entry["unit"]],
        None if low is None else Decimal(low),
        None if high is None else Decimal(high),
    )


def _check(draft: LabEntryDraft, today: date) -> tuple[Problem, ...]:
    problems = list(implausible_dates({"ordered_on": draft.ordered_on, "drawn_on": draft.drawn_on}))
    if draft.ordered_on is None and draft.drawn_on is None:
        problems.append(Problem("drawn_on", "Enter the order date or the draw date."))
    for name, day in (("ordered_on", draft.ordered_on), ("drawn_on", draft.drawn_on)):
        if day is not None and day > today:
            problems.append(Problem(name, "This date is in the future."))
    if draft.results and draft.drawn_on is None:
        problems.append(Problem("drawn_on", "Results need the date the blood was drawn."))
    problems += check_lab_results(draft.panel, draft.results)
    return tuple(problems)


def _flags(
    lab_protocol: str, panel: LabPanel, drawn_on: date | None, results: LabResults
) -> tuple[LabFlag, ...]:
    if drawn_on is None or not results:
        return ()
    protocol = load_lab_protocol(lab_protocol)
    return flag_results(LabDraw(drawn_on, panel, results), protocol.flag_rules)


def record_lab(ctx: Context, draft: LabEntryDraft) -> LabRecord:
    """An order, a draw, or a draw with its results; flags come from the course's protocol
    and, for liver enzymes, from the lab's own upper limit (domain.md §3.4)."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    if problems := _check(draft, ctx.today()):
        raise ValidationFailed(problems)
    with unit_of_work(ctx) as session:
        course = course_for_facts(session, draft.course_id)
        row = LabResultRow(
            course_id=course.id,
            panel=draft.panel.value,
            ordered_on=draft.ordered_on,
            drawn_on=draft.drawn_on,
            results_json=results_to_json(draft.results),
            recorded_at=ctx.now(),
            recorded_by_name=ctx.actor.display_name,
        )
        session.add(row)
        session.flush()
        audit_fact(
            session,
            ctx,
            course,
            "lab.record",
            "lab_result",
            row.id,
            {
                "panel": row.panel,
                "ordered_on": row.ordered_on,
                "drawn_on": row.drawn_on,
                "results": json.loads(row.results_json),
            },
        )
        flags = _flags(course.lab_protocol, draft.panel, draft.drawn_on, draft.results)
        return LabRecord(
            row.id, draft.panel, draft.ordered_on, draft.drawn_on, draft.results, flags
        )


def list_labs(ctx: Context, course_id: int) -> tuple[LabRecord, ...]:
    """The course's lab entries, newest draw first, each with its flags."""
    with ctx.sessions.read() as session:
        course = course_for_facts(session, course_id)
        return lab_records(session, course.id, course.lab_protocol)


def lab_records(session: Session, course_id: int, lab_protocol: str) -> tuple[LabRecord, ...]:
    """`list_labs` inside the caller's read, flagged by the course's `lab_protocol`."""
    rows = session.scalars(
        select(LabResultRow)
        .where(LabResultRow.course_id == course_id)
        .order_by(LabResultRow.drawn_on.desc(), LabResultRow.id.desc())
    )
    records = []
    for row in rows:
        panel, results = LabPanel(row.panel), results_from_json(row.results_json)
        records.append(
            LabRecord(
                row.id,
                panel,
                row.ordered_on,
                row.drawn_on,
                results,
                _flags(lab_protocol, panel, row.drawn_on, results),
            )
        )
    return tuple(records)
