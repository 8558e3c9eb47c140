"""What the chart shows for one course: the dose panel's numbers, the iPLEDGE state of the
current cycle, what is due, and the dated facts behind them. Read-only."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from db.models import Course
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
from desktop.rules.ipledge_cycle import CycleStatus, cycle_status
from desktop.rules.labs import LabDue, labs_due
from desktop.rules.patients import RiskCategory
from desktop.rules.units import round_mg_per_kg
from desktop.rules.worklist import CourseFacts, WorklistItem, worklist_items
from desktop.services.catalog.formulary import load_formulary
from desktop.services.catalog.protocols import load_lab_protocol
from desktop.services.clinic_setup import modification_effective_on
from desktop.services.context import Context
from desktop.services.course_lifecycle import course_record
from desktop.services.course_records import CourseRecord
from desktop.services.course_snapshot import CourseSnapshot, snapshots_of
from desktop.services.errors import NotFound
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


def get_course_overview(ctx: Context, course_id: int, on: date | None = None) -> CourseOverview:
    day = on or ctx.today()
    with ctx.sessions.read() as session:
        snapshot = snapshots_of(session, [course_id]).get(course_id)
        if snapshot is None:
            raise NotFound("This course no longer exists.")
        record = course_record(session, session.get_one(Course, course_id))
        settings = settings_for(session)
        effective_on = modification_effective_on(session)
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
    due = labs_due(
        load_lab_protocol(record.lab_protocol),
        start_on=record.start_on,
        end_on=record.last_dose_on,
        draws=snapshot.lab_draws,
        dose_periods=snapshot.dosing_periods(),
        on=day,
    )
    return CourseOverview(
        record,
        day,
        snapshot.category,
        _dose_panel(snapshot, day),
        cycle,
        first,
        due,
        items,
        facts,
        tuple(sorted(snapshot.weights, key=lambda w: w.measured_on)),
        snapshot.dosing_periods(),
        tuple(sorted(snapshot.missed_days)),
    )
