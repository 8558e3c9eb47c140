"""The monthly visit: everything checked, asked and decided, saved as one unit of work
(domain.md §4.3)."""

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Course, VisitRow, WeightRow
from desktop.rules.counseling_topics import CounselingTopic
from desktop.rules.cumulative_dose import WeightEntry, weight_on
from desktop.rules.dates import implausible_dates
from desktop.rules.mood import MoodScreen, check_mood_screen, screen_mood
from desktop.rules.problems import Problem
from desktop.rules.side_effects import ReportedEffect, SideEffect, urgent_effects
from desktop.rules.units import WeightUnit
from desktop.services.context import Context
from desktop.services.course_dosing import (
    add_missed_days,
    add_weight,
    apply_dose_change,
    weight_in_kg,
)
from desktop.services.course_facts import audit_fact
from desktop.services.course_records import CourseStatus, DoseChangeDraft
from desktop.services.course_snapshot import reported_effects
from desktop.services.errors import ValidationFailed
from desktop.services.follow_ups import FollowUpRecord, follow_ups_of_course
from desktop.services.roles import Permission, require
from desktop.services.unit_of_work import load_current, stamp, unit_of_work


@dataclass(frozen=True, slots=True)
class VisitDoseChange:
    mg_per_kg_day: Decimal | None
    product: str
    reason: str
    prescriber_override: bool = False


@dataclass(frozen=True, slots=True)
class VisitDraft:
    course_id: int
    course_version: int
    seen_on: date | None
    weight: Decimal | None
    weight_unit: WeightUnit
    phq2_items: tuple[int, ...] | None
    phq9_items: tuple[int, ...] | None = None
    missed_days: tuple[date, ...] = ()
    side_effects: tuple[ReportedEffect, ...] = ()
    counseling_topics: tuple[CounselingTopic, ...] = ()
    dose_change: VisitDoseChange | None = None
    notes: str = ""
    next_visit_on: date | None = None


@dataclass(frozen=True, slots=True)
class VisitRecord:
    id: int
    course_id: int
    seen_on: date
    weight_kg: Decimal
    mood: MoodScreen | None
    """None for a visit moved in without a mood screen (course import, demo data)."""
    side_effects: tuple[ReportedEffect, ...]
    urgent_effects: tuple[SideEffect, ...]
    counseling_topics: tuple[CounselingTopic, ...]
    dose_decision: str
    notes: str
    next_visit_on: date | None
    recorded_by_name: str
    flags: tuple[str, ...] = field(default=())
    """Sentences a nurse must act on today (mood item 9, stop-and-call effects)."""
    missed_doses: int = 0
    """Days without a dose reported at this visit."""
    recorded_at: datetime | None = None
    """When the visit was first recorded (UTC)."""
    follow_up: FollowUpRecord | None = None
    """The same-day follow-up recorded as done for this visit, if any."""

    @property
    def calls_for_follow_up(self) -> bool:
        """Something at this visit needed a clinician the same day: PHQ-9 question 9 above 0
        or a stop-and-call or severe effect (domain.md §4.1, §4.2)."""
        self_harm = self.mood is not None and self.mood.needs_same_day_follow_up
        return self_harm or bool(self.urgent_effects)

    @property
    def needs_follow_up(self) -> bool:
        return self.calls_for_follow_up and self.follow_up is None


def check_visit(draft: VisitDraft, *, today: date) -> tuple[Problem, ...]:
    days = {"seen_on": draft.seen_on, "next_visit_on": draft.next_visit_on}
    problems = [
        *implausible_dates({**days, "missed_days": draft.missed_days}),
        *check_mood_screen(draft.phq2_items, draft.phq9_items),
    ]
    if draft.seen_on is None or draft.seen_on > today:
        problems.append(Problem("seen_on", "Enter the visit date (today or earlier)."))
    if draft.next_visit_on is not None and draft.seen_on and draft.next_visit_on <= draft.seen_on:
        problems.append(Problem("next_visit_on", "The next visit is after this one."))
    if not problems and screen_mood(draft.phq2_items, draft.phq9_items).needs_phq9:
        problems.append(Problem("phq9", "PHQ-2 is positive: complete the PHQ-9 before saving."))
    if draft.seen_on and any(day > draft.seen_on for day in draft.missed_days):
        problems.append(Problem("missed_days", "Missed days are on or before the visit."))
    if len({r.effect for r in draft.side_effects}) != len(draft.side_effects):
        problems.append(Problem("side_effects", "Each side effect once, with one severity."))
    return tuple(problems)


def _flags(mood: MoodScreen | None, urgent: tuple[SideEffect, ...]) -> tuple[str, ...]:
    effect_flags = tuple(
        f"Stop-and-call symptom reported ({effect.value.replace('_', ' ')}): "
        "tell the prescriber today."
        for effect in urgent
    )
    return (*(mood.actions if mood else ()), *effect_flags)


def record_visit(ctx: Context, draft: VisitDraft) -> VisitRecord:
    """Save the monthly visit, with its weight, missed days and any dose change, as one
    transaction: all of it is saved, or none of it."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    if problems := check_visit(draft, today=ctx.today()):
        raise ValidationFailed(problems)
    assert draft.seen_on is not None
    weight_kg = weight_in_kg(draft.weight, draft.weight_unit, "weight")
    mood = screen_mood(draft.phq2_items, draft.phq9_items)
    urgent = urgent_effects(draft.side_effects)
    with unit_of_work(ctx) as session:
        course = load_current(session, Course, draft.course_id, draft.course_version, "course")
        if course.status == CourseStatus.ENDED:
            raise ValidationFailed((Problem("seen_on", "This course has ended."),))
        if draft.seen_on < course.start_on:
            raise ValidationFailed((Problem("seen_on", "The visit is before the course start."),))
        weight = add_weight(
            session, ctx, course, draft.seen_on, weight_kg, draft.weight, draft.weight_unit
        )
        add_missed_days(session, ctx, course, draft.missed_days)
        decision = _decide_dose(session, ctx, course, draft)
        row = VisitRow(
            course_id=course.id,
            seen_on=draft.seen_on,
            weight_id=weight.id,
            missed_doses=len(draft.missed_days),
            side_effects_json=json.dumps([[r.effect, r.severity] for r in draft.side_effects]),
            mood_json=json.dumps({"phq2": draft.phq2_items, "phq9": draft.phq9_items}),
            counseling_topics_json=json.dumps(list(draft.counseling_topics)),
            dose_decision=decision,
            notes=draft.notes.strip(),
            next_visit_on=draft.next_visit_on,
            created_at=ctx.now(),
            updated_at=ctx.now(),
            updated_by_name=ctx.actor.display_name,
        )
        session.add(row)
        stamp(course, ctx)
        session.flush()
        audit_fact(
            session,
            ctx,
            course,
            "visit.create",
            "visit",
            row.id,
            {
                "seen_on": draft.seen_on,
                "weight_kg": weight_kg,
                "missed_doses": row.missed_doses,
                "side_effects": row.side_effects_json,
                "phq2_total": mood.phq2.total,
                "phq9_total": mood.phq9.total if mood.phq9 else None,
                "counseling_topics": row.counseling_topics_json,
                "dose_decision": decision,
                "notes": row.notes,
                "next_visit_on": draft.next_visit_on,
            },
        )
        return VisitRecord(
            row.id,
            course.id,
            draft.seen_on,
            weight_kg,
            mood,
            draft.side_effects,
            urgent,
            draft.counseling_topics,
            decision,
            row.notes,
            draft.next_visit_on,
            ctx.actor.display_name,
            _flags(mood, urgent),
            row.missed_doses,
            row.created_at,
        )


def _decide_dose(session: Session, ctx: Context, course: Course, draft: VisitDraft) -> str:
    if draft.dose_change is None:
        return "continue current dose"
    change = draft.dose_change
    apply_dose_change(
        session,
        ctx,
        course,
        DoseChangeDraft(
            course.id,
            course.version,
            draft.seen_on,
            change.mg_per_kg_day,
            change.product,
            change.reason,
            change.prescriber_override,
        ),
    )
    return f"change to {change.mg_per_kg_day} mg/kg/day ({change.product}): {change.reason}"


def list_visits(ctx: Context, course_id: int) -> tuple[VisitRecord, ...]:
    """The course's visits, newest first. A visit recorded without its own weighing (moved
    in by `course import`, or demo data) shows the weight in effect that day; a course
    with no weight at all has no visit to show."""
    query = (
        select(VisitRow, WeightRow.weight_kg)
        .outerjoin(WeightRow, WeightRow.id == VisitRow.weight_id)
        .where(VisitRow.course_id == course_id)
        .order_by(VisitRow.seen_on.desc(), VisitRow.id.desc())
    )
    weighings = select(WeightRow.measured_on, WeightRow.weight_kg).where(
        WeightRow.course_id == course_id
    )
    with ctx.sessions.read() as session:
        weights = [WeightEntry(on, kg) for on, kg in session.execute(weighings)]
        follow_ups = follow_ups_of_course(session, course_id)
        records = []
        for row, own in session.execute(query):
            weighed: Decimal | None = own  # None: the outer join found no weighing of its own
            if weighed is None and weights:
                weighed = weight_on(weights, row.seen_on)
            if weighed is not None:
                records.append(_to_record(row, weighed, follow_ups.get(row.id)))
    return tuple(records)


def _to_record(
    row: VisitRow, weight_kg: Decimal, follow_up: FollowUpRecord | None = None
) -> VisitRecord:
    effects = reported_effects(row.side_effects_json)
    stored_mood = json.loads(row.mood_json)
    phq2 = tuple(stored_mood["phq2"]) if stored_mood.get("phq2") is not None else None
    phq9 = tuple(stored_mood["phq9"]) if stored_mood.get("phq9") is not None else None
    mood = screen_mood(phq2, phq9) if phq2 or phq9 else None
    urgent = urgent_effects(effects)
    topics = tuple(CounselingTopic(t) for t in json.loads(row.counseling_topics_json))
    return VisitRecord(
        row.id,
        row.course_id,
        row.seen_on,
        weight_kg,
        mood,
        effects,
        urgent,
        topics,
        row.dose_decision,
        row.notes,
        row.next_visit_on,
        row.updated_by_name,
        _flags(mood, urgent),
        row.missed_doses,
        row.created_at,
        follow_up,
    )
