"""What the chart shows for one course: the dose panel's numbers, the iPLEDGE state of the
current cycle, what is due, the duties after the last dose, and the dated facts behind them.
Read-only."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import Course, CoursePause, DosePeriodRow, FillRow
from desktop.rules.cumulative_dose import (
    CumulativeDose,
    DosePeriod,
    Projection,
    WeightEntry,
    cumulative_dose,
    project_to_target,
    weight_on,
)
from desktop.rules.dosing import Dose, split_daily_total
from desktop.rules.first_course import FirstCourseStatus, first_course_status
from desktop.rules.ipledge import PostCourse, post_course_obligations
from desktop.rules.ipledge_cycle import CycleStatus, cycle_status
from desktop.rules.labs import LabDue, labs_due
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import PregnancyTest, PregnancyTestPurpose, is_hard_stop
from desktop.rules.units import round_mg_per_kg
from desktop.rules.worklist import CourseFacts, WorklistItem, worklist_items
from desktop.services.catalog.formulary import load_formulary
from desktop.services.catalog.protocols import load_lab_protocol
from desktop.services.clinic_setup import modification_effective_on
from desktop.services.context import Context
from desktop.services.course_lifecycle import course_record
from desktop.services.course_records import (
    CourseRecord,
    DoseChangeRecord,
    FillRecord,
    PauseRecord,
)
from desktop.services.course_snapshot import CourseSnapshot, snapshots_of
from desktop.services.errors import NotFound
from desktop.services.ipledge_steps import counseling_confirmation_records
from desktop.services.labs import LabRecord, lab_records
from desktop.services.records import CounselingConfirmationRecord
from desktop.services.worklist import settings_for


@dataclass(frozen=True, slots=True)
class DosePanel:
    """The current regimen and the progress to the course's cumulative target."""

    mg_per_day: Decimal
    doses: tuple[Dose, ...]
    """AM and PM in capsules of the course's product (empty while held)."""
    weight_kg: Decimal
    achieved_mg_per_kg_day: Decimal
    cumulative: CumulativeDose
    cumulative_mg_per_kg: Decimal
    """Rounded to 2 decimals for display (domain.md §8 C1)."""
    projection: Projection
    target_mg_per_kg: Decimal

    @property
    def progress(self) -> float:
        """Fraction of the target reached, 0–1 (for the progress bar)."""
        if self.target_mg_per_kg <= 0:
            return 0.0
        return min(float(self.cumulative.cumulative_mg_per_kg / self.target_mg_per_kg), 1.0)


@dataclass(frozen=True, slots=True)
class PostCourseTest:
    """A pregnancy test owed after the last dose (domain.md §1.7) and what became of it."""

    purpose: PregnancyTestPurpose
    due_on: date
    done_on: date | None
    """Specimen date of the latest negative test recorded for this purpose by the overview's
    day (the worklist counts the duty done the same way); None while it is owed."""
    positive_on: date | None = None
    """Specimen date of a positive test recorded for this purpose, if any."""


@dataclass(frozen=True, slots=True)
class PostCourseStatus:
    """The duties after the last dose, from the rules `isotrack plan` uses, with the tests
    that settle them."""

    duties: PostCourse
    tests: tuple[PostCourseTest, ...]
    """End-of-course, then one month after; empty for a patient who cannot get pregnant."""


@dataclass(frozen=True, slots=True)
class CourseOverview:
    course: CourseRecord
    on: date
    category: RiskCategory | None
    dose: DosePanel | None
    cycle: CycleStatus | None
    first_course: FirstCourseStatus | None
    """Only for a patient who can get pregnant, before the first fill (domain.md §1.3)."""
    labs_due: tuple[LabDue, ...]
    items: tuple[WorklistItem, ...]
    facts: CourseFacts | None
    """Everything recorded, as the rules see it (tests, contraception, fills, visits …)."""
    weights: tuple[WeightEntry, ...]
    dose_periods: tuple[DosePeriod, ...]
    """Including pauses as 0 mg/day holds."""
    missed_days: tuple[date, ...]
    post_course: PostCourseStatus | None = None
    """Once the course has ended (and the patient has a risk category)."""
    fills: tuple[FillRecord, ...] = ()
    """Newest first, with the capsules dispensed."""
    pauses: tuple[PauseRecord, ...] = ()
    """Oldest first, with their reasons."""
    dose_changes: tuple[DoseChangeRecord, ...] = ()
    """The recorded dose periods, oldest first, with their reasons (pauses are not here)."""
    counseling_confirmations: tuple[CounselingConfirmationRecord, ...] = ()
    """Newest first, voided ones included with their reasons (`facts` counts only the
    others)."""


@dataclass(frozen=True, slots=True)
class CourseLabs:
    """What the protocol wants drawn next and the entries so far (domain.md §3.3, §3.4)."""

    on: date
    due: tuple[LabDue, ...]
    labs: tuple[LabRecord, ...]


def post_course_status(
    category: RiskCategory | None,
    last_dose_on: date | None,
    tests: tuple[PregnancyTest, ...],
    on: date,
) -> PostCourseStatus | None:
    """None before the course ends, or without a risk category to decide the duties."""
    if category is None or last_dose_on is None:
        return None
    duties = post_course_obligations(category, last_dose_on=last_dose_on)
    owed = (
        (PregnancyTestPurpose.END_OF_COURSE, duties.end_of_course_pregnancy_test_due),
        (PregnancyTestPurpose.POST_COURSE, duties.pregnancy_test_due),
    )
    return PostCourseStatus(
        duties,
        tuple(_test_status(purpose, due, tests, on) for purpose, due in owed if due is not None),
    )


def _test_status(
    purpose: PregnancyTestPurpose, due_on: date, tests: tuple[PregnancyTest, ...], on: date
) -> PostCourseTest:
    recorded = sorted(
        (t for t in tests if t.purpose is purpose and t.specimen_on <= on),
        key=lambda t: t.specimen_on,
    )
    negative = [t.specimen_on for t in recorded if t.is_negative]
    positive = [t.specimen_on for t in recorded if is_hard_stop(t)]
    return PostCourseTest(
        purpose,
        due_on,
        negative[-1] if negative else None,
        positive[-1] if positive else None,
    )


def _fills(session: Session, course_id: int) -> tuple[FillRecord, ...]:
    rows = session.execute(
        select(FillRow.filled_on, FillRow.days_supply, FillRow.capsules)
        .where(FillRow.course_id == course_id)
        .order_by(FillRow.filled_on.desc(), FillRow.id.desc())
    )
    return tuple(FillRecord(on, days, capsules) for on, days, capsules in rows)


def _pauses(session: Session, course_id: int) -> tuple[PauseRecord, ...]:
    rows = session.scalars(
        select(CoursePause)
        .where(CoursePause.course_id == course_id)
        .order_by(CoursePause.paused_on, CoursePause.id)
    )
    return tuple(
        PauseRecord(r.paused_on, r.pause_reason, r.resumed_on, r.resume_reason) for r in rows
    )


def _dose_changes(session: Session, course_id: int) -> tuple[DoseChangeRecord, ...]:
    rows = session.scalars(
        select(DosePeriodRow)
        .where(DosePeriodRow.course_id == course_id)
        .order_by(DosePeriodRow.starts_on, DosePeriodRow.id)
    )
    return tuple(
        DoseChangeRecord(
            r.starts_on,
            r.product,
            r.mg_per_day,
            r.am_mg,
            r.pm_mg,
            r.reason,
            r.prescriber_override,
            r.recorded_by_name,
        )
        for r in rows
    )


def _dose_panel(snapshot: CourseSnapshot, on: date) -> DosePanel | None:
    periods = snapshot.dosing_periods()
    if not periods or not snapshot.weights:
        return None
    course = snapshot.course
    through = min(on, course.last_dose_on) if course.last_dose_on else on
    current = [p for p in periods if p.starts_on <= through] or [periods[0]]
    mg_per_day = current[-1].mg_per_day
    weight = weight_on(snapshot.weights, through)
    totals = cumulative_dose(
        periods,
        snapshot.weights,
        frozenset(snapshot.missed_days),
        through=through,
        last_dose_on=course.last_dose_on,
    )
    projection = project_to_target(
        totals,
        target_mg_per_kg=course.target_mg_per_kg,
        current_mg_per_day=mg_per_day,
        current_weight_kg=weight,
        after=through,
    )
    product = load_formulary().product(course.product)
    doses = split_daily_total(product, int(mg_per_day)) if mg_per_day > 0 else ()
    return DosePanel(
        mg_per_day,
        tuple(doses),
        weight,
        round_mg_per_kg(mg_per_day / weight),
        totals,
        round_mg_per_kg(totals.cumulative_mg_per_kg),
        projection,
        course.target_mg_per_kg,
    )


def _snapshot(session: Session, course_id: int) -> CourseSnapshot:
    snapshot = snapshots_of(session, [course_id]).get(course_id)
    if snapshot is None:
        raise NotFound("This course no longer exists.")
    return snapshot


def _labs_due(snapshot: CourseSnapshot, on: date) -> tuple[LabDue, ...]:
    course = snapshot.course
    return labs_due(
        load_lab_protocol(course.lab_protocol),
        start_on=course.start_on,
        end_on=course.last_dose_on,
        draws=snapshot.lab_draws,
        dose_periods=snapshot.dosing_periods(),
        on=on,
    )


def get_course_labs(ctx: Context, course_id: int, on: date | None = None) -> CourseLabs:
    """The Labs tab's one read: the overview's `labs_due` without the rest of the overview."""
    day = on or ctx.today()
    with ctx.sessions.read() as session:
        snapshot = _snapshot(session, course_id)
        labs = lab_records(session, course_id, snapshot.course.lab_protocol)
    return CourseLabs(day, _labs_due(snapshot, day), labs)


def get_course_overview(ctx: Context, course_id: int, on: date | None = None) -> CourseOverview:
    day = on or ctx.today()
    with ctx.sessions.read() as session:
        snapshot = _snapshot(session, course_id)
        record = course_record(session, session.get_one(Course, course_id))
        settings = settings_for(session)
        effective_on = modification_effective_on(session)
        fills = _fills(session, course_id)
        pauses = _pauses(session, course_id)
        dose_changes = _dose_changes(session, course_id)
        confirmations = counseling_confirmation_records(session, course_id)
    facts = snapshot.facts()
    cycle = first = None
    items: tuple[WorklistItem, ...] = ()
    if facts is not None:
        items = worklist_items(facts, on=day, settings=settings)
        cycle = cycle_status(
            facts.ipledge_history(), on=day, modification_effective_on=effective_on
        )
        if facts.category is RiskCategory.CAN_GET_PREGNANT and not facts.fills:
            first = first_course_status(
                facts.pregnancy_tests,
                facts.contraception,
                on=day,
                modification_effective_on=effective_on,
            )
    return CourseOverview(
        record,
        day,
        snapshot.category,
        _dose_panel(snapshot, day),
        cycle,
        first,
        _labs_due(snapshot, day),
        items,
        facts,
        tuple(sorted(snapshot.weights, key=lambda w: w.measured_on)),
        snapshot.dosing_periods(),
        tuple(sorted(snapshot.missed_days)),
        post_course_status(
            snapshot.category, record.last_dose_on, tuple(snapshot.pregnancy_tests), day
        ),
        fills,
        pauses,
        dose_changes,
        confirmations,
    )
