"""Moving running courses in and out as course descriptions (DESIGN.md: `isotrack course
import/export`): import then export gives the same facts."""

import json
from decimal import Decimal

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import (
    ComprehensionRow,
    ConsentSignatureRow,
    ContraceptionRow,
    CounselingConfirmationRow,
    Course,
    DosePeriodRow,
    FillRow,
    LabResultRow,
    MissedDoseRow,
    Patient,
    PregnancyTestRow,
    StaffUser,
    VisitRow,
    WeightRow,
)
from desktop.rules.consents import ConsentForm
from desktop.rules.course_description import (
    CourseDescription,
    InvalidCourseDescription,
    PatientFacts,
    SignedConsent,
    WeightMeasurement,
    check_doses,
    parse_course_description,
)
from desktop.rules.course_description_export import course_description_to_dict
from desktop.rules.cumulative_dose import DosePeriod
from desktop.rules.dosing import daily_totals, split_daily_total
from desktop.rules.formulary import Product
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import check_pregnancy_test
from desktop.rules.problems import Problem
from desktop.rules.units import Weight, WeightUnit
from desktop.services.catalog.consent_templates import consent_template_versions
from desktop.services.catalog.protocols import lab_protocol_names
from desktop.services.clinic_setup import modification_effective_on
from desktop.services.context import Clinic, Context
from desktop.services.course_dosing import find_product
from desktop.services.course_lifecycle import course_record
from desktop.services.course_records import CourseRecord, CourseStatus
from desktop.services.course_snapshot import snapshots_of
from desktop.services.errors import InputError, NotFound, ValidationFailed
from desktop.services.labs import results_to_json
from desktop.services.patients import mrn_is
from desktop.services.roles import Permission, Role, require
from desktop.services.unit_of_work import audit, unit_of_work

DEFAULT_LAB_PROTOCOL = "clinic-monthly"
COURSE_SCHEMA = "isotrack.course/1"
"""The `schema` key of an exported course; an import accepts it (and nothing else unknown)."""


def parse_course_json(text: str) -> CourseDescription:
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as error:
        raise InputError(
            f"The file is not valid JSON (line {error.lineno}): {error.msg}."
        ) from None
    if isinstance(data, dict) and "schema" in data and data.pop("schema") != COURSE_SCHEMA:
        raise ValidationFailed((Problem("schema", f"Expected {COURSE_SCHEMA!r}."),))
    try:
        return parse_course_description(data)
    except InvalidCourseDescription as error:
        raise ValidationFailed(error.problems) from None


def _check_fits(session: Session, patient: Patient, d: CourseDescription) -> list[Problem]:
    problems = []
    if d.patient.birth_date != patient.birth_date:
        problems.append(Problem("patient.birth_date", "Differs from the patient's date of birth."))
    can = patient.risk_category == RiskCategory.CAN_GET_PREGNANT
    if patient.risk_category is None or d.patient.can_get_pregnant != can:
        problems.append(
            Problem("patient.can_get_pregnant", "Differs from the patient's iPLEDGE risk category.")
        )
    if d.lab_protocol is not None and d.lab_protocol not in lab_protocol_names():
        problems.append(Problem("lab_protocol", "Not one of the clinic's lab protocols."))
    product = find_product(d.product, "product")
    problems += check_doses(d, product)
    totals = set(daily_totals(product))
    for index, dose in enumerate(d.doses):
        if dose.mg_per_day and dose.mg_per_day not in totals:
            problems.append(
                Problem(
                    f"doses[{index}].mg_per_day",
                    f"{dose.mg_per_day} mg/day cannot be made with "
                    f"{product.display_name} capsules twice a day.",
                )
            )
    problems += _test_problems(session, d)
    open_course = select(Course.id).where(
        Course.patient_id == patient.id, Course.status != CourseStatus.ENDED
    )
    if session.scalar(open_course) is not None:
        problems.append(
            Problem("start_date", "This patient already has a course that has not ended.")
        )
    return problems


def _test_problems(session: Session, d: CourseDescription) -> list[Problem]:
    """The same checks as a test recorded in the app (`record_pregnancy_test`): setting,
    the prescriber's home-test allowance, verification and laboratory under the rules in
    force on its date (domain.md §1.3, §1.4). A positive or invalid result is a fact to keep;
    timing (a test too early to count) is a fact too, which the worklist flags."""
    change = modification_effective_on(session)
    return [
        Problem(f"pregnancy_tests[{index}].{problem.field}", problem.message)
        for index, test in enumerate(d.pregnancy_tests)
        for problem in check_pregnancy_test(
            test,
            prescriber_allows_home_tests=d.home_pregnancy_tests_allowed,
            modification_effective_on=change,
        )
        if problem.field != "result"
    ]


def import_course(ctx: Context, mrn: str, text: str, prescriber_username: str) -> CourseRecord:
    """Store a course description for an existing patient, every fact audited."""
    require(ctx.actor.role, Permission.EDIT_PATIENTS)
    description = parse_course_json(text)
    with unit_of_work(ctx) as session:
        patient = session.scalar(select(Patient).where(mrn_is(mrn)))
        if patient is None:
            raise NotFound(f"No patient has MRN {mrn.strip()!r}.")
        prescriber = session.scalar(
            select(StaffUser).where(StaffUser.username == prescriber_username)
        )
        if prescriber is None or prescriber.role != Role.PRESCRIBER:
            raise InputError(f"{prescriber_username!r} is not a prescriber's username.")
        if problems := _check_fits(session, patient, description):
            raise ValidationFailed(tuple(problems))
        course = _store_course(session, ctx, patient, prescriber, description)
        _store_facts(session, ctx, course, prescriber, description)
        return course_record(session, course)


def _store_course(
    session: Session, ctx: Context, patient: Patient, prescriber: StaffUser, d: CourseDescription
) -> Course:
    number = (
        session.scalar(select(func.max(Course.number)).where(Course.patient_id == patient.id)) or 0
    ) + 1
    now = ctx.now()
    course = Course(
        patient_id=patient.id,
        number=number,
        status=CourseStatus.ENDED if d.end_on else CourseStatus.ACTIVE,
        product=find_product(d.product).name,
        start_on=d.start_on,
        last_dose_on=d.end_on,
        target_mg_per_kg=d.target_mg_per_kg,
        lab_protocol=d.lab_protocol or DEFAULT_LAB_PROTOCOL,
        prescriber_id=prescriber.id,
        ipledge_enrolled_on=None,
        home_tests_allowed=d.home_pregnancy_tests_allowed,
        override_reason="",
        created_at=now,
        updated_at=now,
        updated_by_name=ctx.actor.display_name,
    )
    session.add(course)
    session.flush()
    audit(
        session,
        ctx,
        "course.import",
        "course",
        course.id,
        patient_id=patient.id,
        new=course_description_to_dict(d),
    )
    return course


def _store_facts(
    session: Session, ctx: Context, course: Course, prescriber: StaffUser, d: CourseDescription
) -> None:
    now, by = ctx.now(), ctx.actor.display_name
    product = find_product(course.product)
    rows: list[object] = []
    for w in d.weights:
        rows.append(
            WeightRow(
                course_id=course.id,
                measured_on=w.measured_on,
                weight_kg=w.weight.weight_kg,
                entered_value=w.weight.entered,
                entered_unit=w.weight.entered_unit.value,
            )
        )
    for p in d.doses:
        am, pm = _split(product, p.mg_per_day)
        rows.append(
            DosePeriodRow(
                course_id=course.id,
                starts_on=p.starts_on,
                product=course.product,
                mg_per_day=p.mg_per_day,
                am_mg=am,
                pm_mg=pm,
                reason="imported",
                prescriber_override=p.prescriber_override,
                recorded_at=now,
                recorded_by_name=by,
            )
        )
    rows += [MissedDoseRow(course_id=course.id, missed_on=day) for day in d.missed_days]
    rows += [
        PregnancyTestRow(
            course_id=course.id,
            purpose=t.purpose.value,
            specimen_on=t.specimen_on,
            result=t.result.value,
            setting=t.setting.value if t.setting else None,
            method=t.method.value if t.method else None,
            verified_by=t.verified_by,
            verification_method=t.verification_method.value if t.verification_method else None,
            clia_certified_lab=t.clia_certified_lab,
            recorded_at=now,
            recorded_by_name=by,
        )
        for t in d.pregnancy_tests
    ]
    rows += [
        CounselingConfirmationRow(
            course_id=course.id, confirmed_on=day, prescriber_id=prescriber.id, recorded_at=now
        )
        for day in d.counseling_confirmations
    ]
    rows += [
        ComprehensionRow(course_id=course.id, answered_on=day, recorded_at=now, recorded_by_name=by)
        for day in d.comprehension_answers
    ]
    rows += [
        ContraceptionRow(
            course_id=course.id,
            starts_on=c.starts_on,
            primary_method=c.primary_method.value if c.primary_method else None,
            secondary_method=c.secondary_method.value if c.secondary_method else None,
            abstinence=c.abstinence,
            recorded_at=now,
            recorded_by_name=by,
        )
        for c in d.contraception
    ]
    rows += [
        FillRow(
            course_id=course.id,
            filled_on=f.filled_on,
            days_supply=f.days_supply,
            capsules=None,
            recorded_at=now,
            recorded_by_name=by,
        )
        for f in d.fills
    ]
    rows += [
        LabResultRow(
            course_id=course.id,
            panel=lab.panel.value,
            ordered_on=None,
            drawn_on=lab.drawn_on,
            results_json=results_to_json(lab.results),
            recorded_at=now,
            recorded_by_name=by,
        )
        for lab in d.labs
    ]
    rows += _visits(course, d, now, by)
    rows += [
        ConsentSignatureRow(
            patient_id=course.patient_id,
            course_id=course.id,
            form=c.form.value,
            template_version=consent_template_versions(c.form)[-1],
            signed_on=c.signed_on,
            prescriber_name=prescriber.display_name,
            recorded_at=now,
            recorded_by_name=by,
        )
        for c in d.consents
    ]
    session.add_all(rows)
    session.flush()


def _split(product: Product, mg_per_day: Decimal) -> tuple[Decimal, Decimal]:
    if not mg_per_day:
        return Decimal(0), Decimal(0)
    am, pm = split_daily_total(product, int(mg_per_day))
    return Decimal(am.mg), Decimal(pm.mg)


def _visits(course: Course, d: CourseDescription, now: object, by: str) -> list[VisitRow]:
    visits = []
    for day in sorted(d.visits):
        next_on = d.next_visit_on if day == max(d.visits) else None
        visits.append(
            VisitRow(
                course_id=course.id,
                seen_on=day,
                next_visit_on=next_on,
                dose_decision="imported",
                created_at=now,
                updated_at=now,
                updated_by_name=by,
            )
        )
    return visits


def export_course(clinic: Clinic, mrn: str) -> dict[str, object]:
    """The patient's latest course as a course description (JSON-ready). A read: it needs
    the clinic database, not a signed-in user (DESIGN.md lists no --user for it)."""
    with clinic.sessions.read() as session:
        patient = session.scalar(select(Patient).where(mrn_is(mrn)))
        if patient is None:
            raise NotFound(f"No patient has MRN {mrn.strip()!r}.")
        latest = (
            select(Course.id)
            .where(Course.patient_id == patient.id)
            .order_by(Course.number.desc())
            .limit(1)
        )
        course_id = session.scalar(latest)
        if course_id is None:
            raise NotFound(f"Patient {mrn.strip()} has no course.")
        snapshot = snapshots_of(session, [course_id])[course_id]
        weights = session.execute(
            select(
                WeightRow.measured_on,
                WeightRow.weight_kg,
                WeightRow.entered_value,
                WeightRow.entered_unit,
            )
            .where(WeightRow.course_id == course_id)
            .order_by(WeightRow.measured_on)
        )
        measured = tuple(
            WeightMeasurement(on, Weight(kg, value, WeightUnit(unit)))
            for on, kg, value, unit in weights
        )
        signed = session.execute(
            select(ConsentSignatureRow.form, ConsentSignatureRow.signed_on).where(
                ConsentSignatureRow.course_id == course_id,
                ConsentSignatureRow.voided_at.is_(None),
            )
        )
        consents = tuple(SignedConsent(ConsentForm(form), on) for form, on in signed)
        doses = session.execute(
            select(
                DosePeriodRow.starts_on, DosePeriodRow.mg_per_day, DosePeriodRow.prescriber_override
            )
            .where(DosePeriodRow.course_id == course_id)
            .order_by(DosePeriodRow.starts_on)
        )
        periods = tuple(DosePeriod(on, mg, prescriber_override=o) for on, mg, o in doses)
        birth_date = patient.birth_date
    c = snapshot.course
    description = CourseDescription(
        patient=PatientFacts(birth_date, snapshot.category is RiskCategory.CAN_GET_PREGNANT),
        product=c.product,
        start_on=c.start_on,
        end_on=c.last_dose_on,
        target_mg_per_kg=c.target_mg_per_kg,
        lab_protocol=c.lab_protocol,
        weights=measured,
        doses=periods,
        missed_days=tuple(sorted(snapshot.missed_days)),
        pregnancy_tests=tuple(sorted(snapshot.pregnancy_tests, key=lambda t: t.specimen_on)),
        counseling_confirmations=tuple(sorted(snapshot.counseling_confirmations)),
        comprehension_answers=tuple(sorted(snapshot.comprehension_answers)),
        contraception=tuple(sorted(snapshot.contraception, key=lambda p: p.starts_on)),
        fills=tuple(sorted(snapshot.fills, key=lambda f: f.filled_on)),
        labs=tuple(sorted(snapshot.lab_draws, key=lambda lab: (lab.drawn_on, lab.panel))),
        visits=tuple(sorted(snapshot.visits)),
        next_visit_on=snapshot.next_visit_on,
        consents=consents,
        home_pregnancy_tests_allowed=c.home_tests_allowed,
    )
    return {"schema": COURSE_SCHEMA, **course_description_to_dict(description)}
