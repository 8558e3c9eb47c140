"""Starting a course, changing its dose, recording weights and missed days (domain.md §2)."""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import Course, DosePeriodRow, MissedDoseRow, Patient, StaffUser, WeightRow
from desktop.rules.course_start import CourseStartDraft, CourseStartFacts, check_course_start
from desktop.rules.cumulative_dose import WeightEntry, weight_on
from desktop.rules.dates import implausible_dates
from desktop.rules.dosing import DoseRequest, Regimen, check_dose_request, daily_regimen
from desktop.rules.formulary import Product, UnknownProduct
from desktop.rules.patients import RiskCategory
from desktop.rules.problems import Problem
from desktop.rules.units import WeightUnit, check_weight_kg, format_decimal, lb_to_kg
from desktop.services.catalog.formulary import load_formulary
from desktop.services.catalog.protocols import lab_protocol_names
from desktop.services.context import Context
from desktop.services.course_facts import add_fact, course_for_facts
from desktop.services.course_lifecycle import course_record
from desktop.services.course_records import (
    CourseDraft,
    CourseRecord,
    CourseStatus,
    DoseChangeDraft,
    WeightDraft,
)
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.roles import Permission, Role, require
from desktop.services.unit_of_work import audit, load_current, stamp, unit_of_work


def find_product(name: str, field: str = "product") -> Product:
    try:
        return load_formulary().product(name)
    except UnknownProduct as error:
        raise ValidationFailed((Problem(field, str(error)),)) from None


def weight_in_kg(value: Decimal | None, unit: WeightUnit, field: str) -> Decimal:
    if value is None:
        raise ValidationFailed((Problem(field, "Enter the weight."),))
    kg = lb_to_kg(value) if unit is WeightUnit.LB else value
    if problem := check_weight_kg(kg, field=field):
        raise ValidationFailed((problem,))
    return kg


def _regimen(ctx: Context, product: Product, request: DoseRequest) -> Regimen:
    """The regimen in capsules; a dose above the product's usual range, and an override of
    its maximum, are a prescriber's decision (domain.md §2.1; issue 6: prescriber-only
    actions are enforced here, not in the UI)."""
    if request.prescriber_override and ctx.actor.role is not Role.PRESCRIBER:
        raise ValidationFailed(
            (Problem("prescriber_override", "Only a prescriber can override the maximum."),)
        )
    if problems := check_dose_request(product, request):
        raise ValidationFailed(problems)
    usual = product.usual_max_mg_per_kg_day
    if request.mg_per_kg_day > usual and ctx.actor.role is not Role.PRESCRIBER:
        message = (
            f"Above the usual {format_decimal(product.usual_min_mg_per_kg_day)}–"
            f"{format_decimal(usual)} mg/kg/day for {product.display_name}: only a "
            "prescriber can set this dose."
        )
        raise ValidationFailed((Problem("mg_per_kg_day", message),))
    return daily_regimen(product, request)


def _start_facts(session: Session, patient: Patient) -> CourseStartFacts:
    courses = session.execute(
        select(Course.status, Course.last_dose_on).where(Course.patient_id == patient.id)
    ).all()
    ended = [last for status, last in courses if status == CourseStatus.ENDED and last]
    return CourseStartFacts(
        risk_category=RiskCategory(patient.risk_category) if patient.risk_category else None,
        is_pregnant_or_breastfeeding=patient.is_pregnant_or_breastfeeding,
        has_retinoid_allergy=patient.has_retinoid_allergy,
        has_open_course=any(status != CourseStatus.ENDED for status, _ in courses),
        previous_last_dose_on=max(ended, default=None),
    )


def _check_draft_choices(session: Session, draft: CourseDraft) -> list[Problem]:
    problems = []
    if draft.lab_protocol not in lab_protocol_names():
        problems.append(Problem("lab_protocol", "Choose one of the clinic's lab protocols."))
    prescriber = session.get(StaffUser, draft.prescriber_id) if draft.prescriber_id else None
    if prescriber is None or prescriber.role != Role.PRESCRIBER or not prescriber.is_active:
        problems.append(Problem("prescriber_id", "Choose the prescriber responsible."))
    if draft.starting_mg_per_kg_day is None:
        problems.append(Problem("starting_mg_per_kg_day", "Enter the starting mg/kg/day."))
    return problems


def start_course(ctx: Context, draft: CourseDraft) -> CourseRecord:
    """Start a course with its first weight and dose, refused on any hard stop (domain.md
    §1.2, §1.7, §6); a prescriber may override only the 2-month wait, with a reason."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    product = find_product(draft.product)
    weight_kg = weight_in_kg(draft.starting_weight, draft.starting_weight_unit, "starting_weight")
    with unit_of_work(ctx) as session:
        patient = session.get(Patient, draft.patient_id)
        if patient is None:
            raise NotFound("This patient no longer exists.")
        start = CourseStartDraft(draft.start_on, draft.target_mg_per_kg, draft.override_reason)
        is_prescriber = ctx.actor.role is Role.PRESCRIBER
        problems = [
            *implausible_dates(
                {"start_on": draft.start_on, "ipledge_enrolled_on": draft.ipledge_enrolled_on}
            ),
            *check_course_start(
                start,
                _start_facts(session, patient),
                today=ctx.today(),
                is_prescriber=is_prescriber,
            ),
            *_check_draft_choices(session, draft),
        ]
        if problems:
            raise ValidationFailed(tuple(problems))
        assert draft.start_on
        assert draft.target_mg_per_kg
        assert draft.starting_mg_per_kg_day
        assert draft.prescriber_id is not None
        request = DoseRequest(
            weight_kg,
            draft.starting_mg_per_kg_day,
            birth_date=patient.birth_date,
            on=draft.start_on,
        )
        regimen = _regimen(ctx, product, request)
        number = (
            session.scalar(select(func.max(Course.number)).where(Course.patient_id == patient.id))
            or 0
        ) + 1
        now = ctx.now()
        course = Course(
            patient_id=patient.id,
            number=number,
            status=CourseStatus.ACTIVE,
            product=product.name,
            start_on=draft.start_on,
            target_mg_per_kg=draft.target_mg_per_kg,
            lab_protocol=draft.lab_protocol,
            prescriber_id=draft.prescriber_id,
            ipledge_enrolled_on=draft.ipledge_enrolled_on,
            home_tests_allowed=False,
            override_reason=draft.override_reason.strip(),
            created_at=now,
            updated_at=now,
            updated_by_name=ctx.actor.display_name,
        )
        session.add(course)
        session.flush()
        audit(
            session,
            ctx,
            "course.start",
            "course",
            course.id,
            patient_id=patient.id,
            new={
                "number": number,
                "product": product.name,
                "start_on": draft.start_on,
                "target_mg_per_kg": draft.target_mg_per_kg,
                "lab_protocol": draft.lab_protocol,
                "prescriber_id": draft.prescriber_id,
            },
            reason=draft.override_reason.strip(),
        )
        add_weight(
            session,
            ctx,
            course,
            draft.start_on,
            weight_kg,
            draft.starting_weight,
            draft.starting_weight_unit,
        )
        _add_dose_period(session, ctx, course, draft.start_on, regimen, "starting dose")
        return course_record(session, course)


def add_weight(
    session: Session,
    ctx: Context,
    course: Course,
    on: date,
    kg: Decimal,
    entered: Decimal | None,
    unit: WeightUnit,
) -> WeightRow:
    assert entered is not None
    row = WeightRow(
        course_id=course.id,
        measured_on=on,
        weight_kg=kg,
        entered_value=entered,
        entered_unit=unit.value,
    )
    values = {"measured_on": on, "weight_kg": kg, "entered": f"{entered} {unit.value}"}
    add_fact(session, ctx, course, row, "weight.record", "weight", values)
    return row


def _add_dose_period(
    session: Session, ctx: Context, course: Course, starts_on: date, regimen: Regimen, reason: str
) -> DosePeriodRow:
    am, pm = (Decimal(dose.mg) for dose in regimen.doses)
    row = DosePeriodRow(
        course_id=course.id,
        starts_on=starts_on,
        product=regimen.product.name,
        mg_per_day=Decimal(regimen.mg_per_day),
        am_mg=am,
        pm_mg=pm,
        reason=reason,
        prescriber_override=regimen.request.prescriber_override,
        recorded_at=ctx.now(),
        recorded_by_name=ctx.actor.display_name,
    )
    add_fact(
        session,
        ctx,
        course,
        row,
        "dose.change",
        "dose_period",
        {
            "starts_on": starts_on,
            "product": row.product,
            "mg_per_day": row.mg_per_day,
            "am_mg": am,
            "pm_mg": pm,
            "mg_per_kg_day_requested": regimen.request.mg_per_kg_day,
        },
        reason=reason,
    )
    return row


def _weights(session: Session, course_id: int) -> list[WeightEntry]:
    rows = session.execute(
        select(WeightRow.measured_on, WeightRow.weight_kg).where(WeightRow.course_id == course_id)
    )
    return [WeightEntry(on, kg) for on, kg in rows]


def change_dose(ctx: Context, draft: DoseChangeDraft) -> CourseRecord:
    """A dated dose change with its reason, in capsules of the chosen product; it bumps the
    course's version, so two workstations cannot both decide a dose unawares."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    with unit_of_work(ctx) as session:
        course = load_current(session, Course, draft.course_id, draft.course_version, "course")
        apply_dose_change(session, ctx, course, draft)
        return course_record(session, course)


def apply_dose_change(
    session: Session, ctx: Context, course: Course, draft: DoseChangeDraft
) -> None:
    """The dose change inside the caller's unit of work (also used by the visit dialog)."""
    problems = list(implausible_dates({"starts_on": draft.starts_on}))
    if draft.starts_on is None:
        problems.append(Problem("starts_on", "Enter the date the new dose starts."))
    if draft.mg_per_kg_day is None:
        problems.append(Problem("mg_per_kg_day", "Enter the new mg/kg/day."))
    if not draft.reason.strip():
        problems.append(Problem("reason", "Give the reason for the change."))
    if problems:
        raise ValidationFailed(tuple(problems))
    assert draft.starts_on is not None
    assert draft.mg_per_kg_day is not None
    product = find_product(draft.product)
    if course.status == CourseStatus.ENDED:
        raise ValidationFailed((Problem("starts_on", "This course has ended."),))
    if draft.starts_on < course.start_on:
        raise ValidationFailed((Problem("starts_on", "The change is before the course start."),))
    if draft.starts_on > ctx.today():  # the current dose (and product) must be today's
        raise ValidationFailed((Problem("starts_on", "A dose change cannot start after today."),))
    taken = select(DosePeriodRow.id).where(
        DosePeriodRow.course_id == course.id, DosePeriodRow.starts_on == draft.starts_on
    )
    if session.scalar(taken):
        raise ValidationFailed((Problem("starts_on", "A dose already starts that day."),))
    patient = session.get(Patient, course.patient_id)
    assert patient is not None
    request = DoseRequest(
        weight_on(_weights(session, course.id), draft.starts_on),
        draft.mg_per_kg_day,
        draft.prescriber_override,
        birth_date=patient.birth_date,
        on=draft.starts_on,
    )
    regimen = _regimen(ctx, product, request)
    latest = session.scalar(
        select(func.max(DosePeriodRow.starts_on)).where(DosePeriodRow.course_id == course.id)
    )
    if latest is None or draft.starts_on > latest:  # a back-dated change keeps today's product
        course.product = product.name
    stamp(course, ctx)
    _add_dose_period(session, ctx, course, draft.starts_on, regimen, draft.reason.strip())


def record_weight(ctx: Context, draft: WeightDraft) -> None:
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    kg = weight_in_kg(draft.value, draft.unit, "weight")
    if problems := implausible_dates({"measured_on": draft.measured_on}):
        raise ValidationFailed(problems)
    if draft.measured_on is None or draft.measured_on > ctx.today():
        raise ValidationFailed((Problem("measured_on", "Enter the date weighed (not future)."),))
    with unit_of_work(ctx) as session:
        course = course_for_facts(session, draft.course_id)
        add_weight(session, ctx, course, draft.measured_on, kg, draft.value, draft.unit)


def record_missed_days(ctx: Context, course_id: int, days: tuple[date, ...]) -> int:
    """Days the patient did not take the dose (domain.md §8 C1: not counted). Days already
    recorded are kept once; returns how many were new."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    with unit_of_work(ctx) as session:
        return add_missed_days(session, ctx, course_for_facts(session, course_id), days)


def add_missed_days(session: Session, ctx: Context, course: Course, days: tuple[date, ...]) -> int:
    if problems := implausible_dates({"missed_days": days}):
        raise ValidationFailed(problems)
    bad = [d for d in days if d < course.start_on or d > ctx.today()]
    if bad:
        raise ValidationFailed((Problem("missed_days", f"{bad[0]} is outside the course."),))
    known = set(
        session.scalars(select(MissedDoseRow.missed_on).where(MissedDoseRow.course_id == course.id))
    )
    new = sorted(set(days) - known)
    for day in new:
        row = MissedDoseRow(course_id=course.id, missed_on=day)
        add_fact(session, ctx, course, row, "missed_dose.record", "missed_dose", {"missed_on": day})
    return len(new)
