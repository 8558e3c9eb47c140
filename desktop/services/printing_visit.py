"""What a visit summary shows, gathered from the recorded visit, course overview and labs."""

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

from sqlalchemy import select

from db.models import VisitRow
from desktop.documents import data as doc
from desktop.documents.page import format_date
from desktop.rules.calendar import add_months
from desktop.rules.counseling_topics import COUNSELING_TOPIC_LABELS
from desktop.rules.cumulative_dose import cumulative_dose
from desktop.rules.dosing import DoseTime
from desktop.rules.formulary import FoodRequirement
from desktop.rules.lab_analytes import SPECS, UNIT_LABELS, number_text, range_text
from desktop.rules.labs import PANEL_LABELS, Analyte, LabDuePurpose, LabFlag
from desktop.rules.patients import RiskCategory
from desktop.rules.problems import Problem
from desktop.rules.side_effects import (
    SIDE_EFFECT_LABELS,
    STOP_AND_CALL,
    EffectSeverity,
    ReportedEffect,
)
from desktop.rules.units import kg_to_lb, round_mg_per_kg
from desktop.rules.worklist_items import WorkKind
from desktop.services.catalog.formulary import load_formulary
from desktop.services.context import Context
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_overview import CourseOverview, get_course_overview
from desktop.services.course_records import CourseRecord
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.labs import LabRecord, lab_records
from desktop.services.printing_heading import letterhead, load_patient, patient_band
from desktop.services.visits import VisitRecord, list_visits

PREGNANCY_TEST_KINDS = frozenset(
    {
        WorkKind.SCREENING_TEST,
        WorkKind.CONFIRMATION_TEST,
        WorkKind.PREGNANCY_TEST,
        WorkKind.END_OF_COURSE_PREGNANCY_TEST,
        WorkKind.POST_COURSE_PREGNANCY_TEST,
    }
)
ONE_DECIMAL = Decimal("0.1")
_NO_DOSE = doc.DoseTime(Decimal(0), ())


def visit_summary_data(
    ctx: Context, patient_id: int, *, visit_on: date | None = None
) -> doc.VisitSummaryData:
    """The visit on `visit_on`, or the latest one, with the course as it stood that day."""
    courses = list_courses(ctx, patient_id)
    if not courses:
        raise ValidationFailed(
            (Problem("course", "This patient has no course yet: start a course first."),)
        )
    course, visit = _find_visit(ctx, courses, visit_on)
    overview = get_course_overview(ctx, course.id, on=visit.seen_on)
    with ctx.sessions.read() as session:
        band = patient_band(load_patient(session, patient_id))
        clinic = letterhead(session)
        labs = lab_records(session, course.id, course.lab_protocol)
        # The visit as first recorded: a later correction must not move the time signed.
        recorded_at, missed_days = session.execute(
            select(VisitRow.created_at, VisitRow.missed_doses).where(VisitRow.id == visit.id)
        ).one()
    product = load_formulary().find(course.product)
    panel = overview.dose
    weight = visit.weight_kg
    return doc.VisitSummaryData(
        clinic=clinic,
        patient=band,
        visit_on=visit.seen_on,
        printed_on=ctx.today(),
        weight_kg=weight.quantize(ONE_DECIMAL),  # as weighed on a scale; the record keeps it exact
        weight_lb=kg_to_lb(weight).quantize(ONE_DECIMAL),
        product_name=product.display_name if product else course.product,
        needs_food=product is not None and product.food is FoodRequirement.WITH_MEAL,
        regimen=_regimen(overview),
        achieved_mg_per_kg_day=(
            panel.achieved_mg_per_kg_day if panel else round_mg_per_kg(Decimal(0))
        ),
        progress=_progress(overview),
        prescriber_name=course.prescriber_name,
        side_effects=tuple(
            doc.SideEffect(
                SIDE_EFFECT_LABELS[e.effect],
                e.severity.value,
                note=_effect_note(e),
                is_flagged=e.effect in visit.urgent_effects,
            )
            for e in visit.side_effects
        ),
        mood=doc.MoodScreen(
            visit.mood.phq2.total,
            visit.mood.phq9.total if visit.mood.phq9 else None,
            visit.flags,
        )
        if visit.mood
        else None,
        pregnancy=_pregnancy(overview, visit.seen_on),
        fill_window=_fill_window(overview),
        labs_due=tuple(
            doc.LabDue(
                PANEL_LABELS[d.panel].capitalize(),
                d.due_on,
                "" if d.purpose is LabDuePurpose.REPEAT else d.purpose.value,
            )
            for d in overview.labs_due
        ),
        lab_results=_lab_results(labs, visit.seen_on),
        counseling_topics=tuple(COUNSELING_TOPIC_LABELS[t] for t in visit.counseling_topics),
        notes=visit.notes,
        next_visit_on=visit.next_visit_on,
        missed_days_reported=missed_days,
        follow_up=_follow_up_line(visit),
        dose_decision=visit.dose_decision,
        signatures=(
            doc.VisitSignature("Recorded by", visit.recorded_by_name, _in_zone(recorded_at, ctx)),
            doc.VisitSignature("Prescriber", course.prescriber_name, None),
        ),
    )


def _follow_up_line(visit: VisitRecord) -> str:
    """domain.md §4.1, §4.2: whether the same-day follow-up this visit called for was done."""
    follow_up = visit.follow_up
    if not visit.calls_for_follow_up:
        return ""
    if follow_up is None:
        return "Same-day follow-up: not recorded as done."
    return (
        f"Same-day follow-up done {format_date(follow_up.done_on)} by "
        f"{follow_up.recorded_by_name}: {follow_up.outcome}"
    )


def _effect_note(reported: ReportedEffect) -> str:
    """Why a reported effect needs the prescriber today (domain.md §4.1), else nothing."""
    if reported.effect in STOP_AND_CALL:
        return "Stop-and-call symptom: tell the prescriber today."
    if reported.severity is EffectSeverity.SEVERE:
        return "Reported as severe: tell the prescriber today."
    return ""


def _find_visit(
    ctx: Context, courses: tuple[CourseRecord, ...], visit_on: date | None
) -> tuple[CourseRecord, VisitRecord]:
    for course in courses:  # newest course first, newest visit first
        for visit in list_visits(ctx, course.id):
            if visit_on is None or visit.seen_on == visit_on:
                return course, visit
    if visit_on is None:
        raise NotFound("No visit has been recorded for this patient yet.")
    raise NotFound(f"This patient has no visit on {visit_on.isoformat()}.")


def _in_zone(moment: datetime | None, ctx: Context) -> datetime | None:
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(ctx.time_zone)


def _regimen(overview: CourseOverview) -> doc.Regimen:
    times = {DoseTime.AM: _NO_DOSE, DoseTime.PM: _NO_DOSE}
    for dose in overview.dose.doses if overview.dose else ():
        times[dose.time] = doc.DoseTime(
            Decimal(dose.mg), tuple(Decimal(mg) for mg in dose.capsules_mg)
        )
    return doc.Regimen(times[DoseTime.AM], times[DoseTime.PM])


def _progress(overview: CourseOverview) -> doc.DoseProgress:
    panel = overview.dose
    target = overview.course.target_mg_per_kg
    if panel is None:
        return doc.DoseProgress(Decimal(0), Decimal(0), target)
    return doc.DoseProgress(
        cumulative_mg=panel.cumulative.cumulative_mg,
        cumulative_mg_per_kg=panel.cumulative_mg_per_kg,
        target_mg_per_kg=target,
        projected_last_dose_on=panel.projection.projected_last_dose_on,
        by_month=_by_month(overview),
    )


def _by_month(overview: CourseOverview) -> tuple[doc.CumulativeMonth, ...]:
    """Cumulative totals at the end of each calendar month of the course, up to the visit."""
    periods, weights = overview.dose_periods, overview.weights
    if not periods or not weights:
        return ()
    missed = frozenset(overview.missed_days)
    last = overview.course.last_dose_on
    month = periods[0].starts_on.replace(day=1)
    rows: list[doc.CumulativeMonth] = []
    previous = Decimal(0)
    while month <= overview.on:
        month_end = add_months(month, 1) - timedelta(days=1)
        totals = cumulative_dose(
            periods, weights, missed, through=min(month_end, overview.on), last_dose_on=last
        )
        rows.append(
            doc.CumulativeMonth(
                month,
                totals.cumulative_mg - previous,
                totals.cumulative_mg,
                round_mg_per_kg(totals.cumulative_mg_per_kg),
            )
        )
        previous = totals.cumulative_mg
        month = add_months(month, 1)
    return tuple(rows)


def _pregnancy(overview: CourseOverview, on: date) -> doc.PregnancyMonitoring | None:
    facts = overview.facts
    if overview.category is not RiskCategory.CAN_GET_PREGNANT or facts is None:
        return None
    tests = sorted(
        (t for t in facts.pregnancy_tests if t.specimen_on <= on), key=lambda t: t.specimen_on
    )
    last = None
    if tests:
        t = tests[-1]
        last = doc.PregnancyTest(
            t.specimen_on,
            t.result.value,
            t.setting.value if t.setting else "",
            t.method.value if t.method else "",
        )
    due = sorted(i.due_on for i in overview.items if i.kind in PREGNANCY_TEST_KINDS)
    next_on = due[0] if due else (add_months(tests[-1].specimen_on, 1) if tests else None)
    periods = sorted(
        (p for p in facts.contraception if p.starts_on <= on), key=lambda p: p.starts_on
    )
    return doc.PregnancyMonitoring(last, next_on, periods[-1] if periods else None)


def _fill_window(overview: CourseOverview) -> doc.FillWindow | None:
    window = overview.cycle.window.open if overview.cycle else None
    return doc.FillWindow(window.opens, window.closes) if window else None


def _lab_results(records: tuple[LabRecord, ...], on: date) -> tuple[doc.LabResult, ...]:
    """Each value with its unit and the lab's own range, as the lab reported them."""
    results: list[doc.LabResult] = []
    for record in records:
        if not record.is_resulted or record.drawn_on is None or record.drawn_on > on:
            continue
        for r in record.results.values:
            results.append(
                doc.LabResult(
                    SPECS[r.analyte].name,
                    number_text(r.value),
                    UNIT_LABELS[r.unit],
                    record.drawn_on,
                    range_text(r),
                    _flag(record.flags, r.analyte),
                )
            )
    return tuple(results)


def _flag(flags: tuple[LabFlag, ...], analyte: Analyte) -> str | None:
    return next((f.message for f in flags if f.analyte is analyte), None)
