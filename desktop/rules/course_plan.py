"""The `isotrack plan` computation: a course description and a day in, the plan out."""

from dataclasses import dataclass, replace
from datetime import date, timedelta
from decimal import Decimal

from desktop.rules.ages import age_on
from desktop.rules.contraception import check_contraception_period
from desktop.rules.course_description import CourseDescription
from desktop.rules.cumulative_dose import (
    CumulativeDose,
    DosePeriod,
    WeightEntry,
    cumulative_dose,
    project_to_target,
    target_notes,
    weight_on,
)
from desktop.rules.dosing import age_warning
from desktop.rules.fill_window import FillWindow
from desktop.rules.first_course import FirstCourseStatus, first_course_status
from desktop.rules.formulary import Product
from desktop.rules.ipledge import PostCourse, latest_fill, post_course_obligations
from desktop.rules.ipledge_cycle import judge_window_tests, window_state
from desktop.rules.ipledge_rule_sets import RuleSetId, rule_set_in_force
from desktop.rules.labs import LabDue, LabFlag, LabProtocol, flag_results, labs_due
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import check_pregnancy_test
from desktop.rules.units import format_decimal, round_mg, round_mg_per_kg
from desktop.rules.worklist import CourseFacts, WorklistItem, WorklistSettings, worklist_items


@dataclass(frozen=True, slots=True)
class DoseProgress:
    """Cumulative dose through the plan day and the projection to target (domain.md §2.3,
    §8 C1). mg/kg figures are None without a recorded weight."""

    cumulative_mg: Decimal
    cumulative_mg_per_kg: Decimal | None
    remaining_mg: Decimal | None
    days_to_target: int | None
    projected_last_dose_on: date | None


@dataclass(frozen=True, slots=True)
class Plan:
    """Everything `isotrack plan` reports, as of `as_of` (DESIGN.md output keys)."""

    as_of: date
    rule_set: RuleSetId
    target_mg_per_kg: Decimal
    progress: DoseProgress
    fill_window: FillWindow | None
    first_course: FirstCourseStatus | None
    """Patients who can get pregnant, before the first fill."""
    next_confirmation_test_not_before: date | None
    labs_due: tuple[LabDue, ...]
    lab_flags: tuple[LabFlag, ...]
    post_course: PostCourse | None
    due: tuple[WorklistItem, ...]
    warnings: tuple[str, ...]
    """Recorded facts that break a rule (field path first), and product notes."""


def plan_course(
    description: CourseDescription,
    *,
    on: date,
    formulary_product: Product | None,
    lab_protocol: LabProtocol | None,
    ipledge_modification_effective_on: date,
    settings: WorklistSettings | None = None,
) -> Plan:
    """Compose the rules for one course on `on`: doses are counted through `on` inclusive;
    every iPLEDGE date uses the rule set in force on its own date (domain.md §0). `settings`
    carries the other clinic policies; its change date is replaced by the one given."""
    settings = replace(
        settings or WorklistSettings(), modification_effective_on=ipledge_modification_effective_on
    )
    facts = course_facts(description, lab_protocol)
    active = facts.is_active_on(on)
    first = _first_course(description, on, settings) if active else None
    rule_set = rule_set_in_force(on, modification_effective_on=settings.modification_effective_on)
    progress = dose_progress(description, on=on)
    return Plan(
        as_of=on,
        rule_set=rule_set.id,
        target_mg_per_kg=description.target_mg_per_kg,
        progress=progress,
        fill_window=_open_window(facts, on, settings) if active else None,
        first_course=first,
        next_confirmation_test_not_before=(
            None if first is None else first.next_confirmation_test_not_before
        ),
        labs_due=_labs_due(facts, on, settings),
        lab_flags=_lab_flags(description, lab_protocol, on),
        post_course=_post_course(description),
        due=worklist_items(facts, on=on, settings=settings),
        warnings=(
            *_warnings(description, facts, formulary_product, settings, on),
            *_unfilled_doses(description, progress, on),
        ),
    )


def course_facts(description: CourseDescription, lab_protocol: LabProtocol | None) -> CourseFacts:
    """The worklist's input for a described course (the database service builds the same)."""
    d = description
    return CourseFacts(
        category=_category(d),
        birth_date=d.patient.birth_date,
        start_on=d.start_on,
        last_dose_on=d.end_on,
        pregnancy_tests=d.pregnancy_tests,
        counseling_confirmations=d.counseling_confirmations,
        comprehension_answers=d.comprehension_answers,
        contraception=d.contraception,
        fills=d.fills,
        visits=d.visits,
        next_visit_on=d.next_visit_on,
        lab_protocol=lab_protocol,
        lab_draws=d.labs,
        dose_periods=d.doses,
        signed_consents=frozenset(c.form for c in d.consents),
        prescriber_allows_home_tests=d.home_pregnancy_tests_allowed,
    )


def dose_progress(description: CourseDescription, *, on: date) -> DoseProgress:
    """Cumulative mg and mg/kg through `on` (weight in effect each day) and the projection at
    the current dose and weight (domain.md §8 C1). After the last dose nothing is projected;
    the projected last dose is then the recorded one."""
    d = description
    weights = [WeightEntry(w.measured_on, w.weight.weight_kg) for w in d.weights]
    missed = frozenset(d.missed_days)
    if not weights:
        # mg needs no weight: count with a neutral 1 kg and report no mg/kg figures.
        neutral = [WeightEntry(d.start_on, Decimal(1))]
        total = cumulative_dose(d.doses, neutral, missed, through=on, last_dose_on=d.end_on)
        return DoseProgress(total.cumulative_mg, None, None, None, None)
    total = cumulative_dose(d.doses, weights, missed, through=on, last_dose_on=d.end_on)
    per_kg = round_mg_per_kg(total.cumulative_mg_per_kg)
    if d.end_on is not None and d.end_on <= on:
        remaining = max(d.target_mg_per_kg - total.cumulative_mg_per_kg, Decimal(0))
        remaining_mg = round_mg(remaining * weight_on(weights, d.end_on))
        return DoseProgress(total.cumulative_mg, per_kg, remaining_mg, None, d.end_on)
    return _projection(d, total, weights, on, per_kg)


def _projection(
    d: CourseDescription,
    total: CumulativeDose,
    weights: list[WeightEntry],
    on: date,
    per_kg: Decimal,
) -> DoseProgress:
    day = max(on, d.start_on)
    current = _dose_on(d.doses, day)
    if current is None:
        return DoseProgress(total.cumulative_mg, per_kg, None, None, None)
    projection = project_to_target(
        total,
        target_mg_per_kg=d.target_mg_per_kg,
        current_mg_per_day=current,
        current_weight_kg=weight_on(weights, day),
        after=max(on, d.start_on - timedelta(days=1)),
    )
    return DoseProgress(
        total.cumulative_mg,
        per_kg,
        round_mg(projection.remaining_mg),
        projection.days_to_target,
        projection.projected_last_dose_on,
    )


def _open_window(facts: CourseFacts, on: date, settings: WorklistSettings) -> FillWindow | None:
    """The window to fill the next prescription in, if one is open (domain.md §1.6)."""
    return window_state(
        facts.ipledge_history(),
        on=on,
        modification_effective_on=settings.modification_effective_on,
        pcngp_window_days_after_modification=settings.pcngp_window_days_after_modification,
    ).open


def _dose_on(periods: tuple[DosePeriod, ...], day: date) -> Decimal | None:
    started = [p for p in periods if p.starts_on <= day]
    return max(started, key=lambda p: p.starts_on).mg_per_day if started else None


def _category(d: CourseDescription) -> RiskCategory:
    if d.patient.can_get_pregnant:
        return RiskCategory.CAN_GET_PREGNANT
    return RiskCategory.CANNOT_GET_PREGNANT


def _first_course(
    d: CourseDescription, on: date, settings: WorklistSettings
) -> FirstCourseStatus | None:
    """Only for a patient who can get pregnant with no fill yet (domain.md §1.3)."""
    if not d.patient.can_get_pregnant or latest_fill(d.fills, on=on) is not None:
        return None
    return first_course_status(
        d.pregnancy_tests,
        d.contraception,
        on=on,
        modification_effective_on=settings.modification_effective_on,
    )


def _labs_due(facts: CourseFacts, on: date, settings: WorklistSettings) -> tuple[LabDue, ...]:
    if facts.lab_protocol is None:
        return ()
    return labs_due(
        facts.lab_protocol,
        start_on=facts.start_on,
        end_on=facts.last_dose_on,
        draws=facts.lab_draws,
        dose_periods=facts.dose_periods,
        on=on,
        include_optional_panels=settings.include_optional_lab_panels,
    )


def _lab_flags(d: CourseDescription, protocol: LabProtocol | None, on: date) -> tuple[LabFlag, ...]:
    """Flags of every result known on `on` (domain.md §3.4)."""
    if protocol is None:
        return ()
    draws = [draw for draw in d.labs if draw.drawn_on <= on]
    return tuple(flag for draw in draws for flag in flag_results(draw, protocol.flag_rules))


def _post_course(d: CourseDescription) -> PostCourse | None:
    if d.end_on is None:
        return None
    return post_course_obligations(_category(d), last_dose_on=d.end_on)


def _unfilled_doses(d: CourseDescription, progress: DoseProgress, on: date) -> tuple[str, ...]:
    """Doses are counted as planned (domain.md §8 C1): with no fill recorded by `on` the
    cumulative figures assume capsules the patient may not have."""
    if progress.cumulative_mg == 0 or latest_fill(d.fills, on=on) is not None:
        return ()
    return (
        f"fills: no fill is recorded by {on.isoformat()}, yet "
        f"{format_decimal(progress.cumulative_mg)} mg is counted from the planned doses since "
        f"{d.start_on.isoformat()}: doses are counted as planned; record the fill, or move "
        "the start date if the patient has not started.",
    )


def _warnings(
    d: CourseDescription,
    facts: CourseFacts,
    product: Product | None,
    settings: WorklistSettings,
    on: date,
) -> tuple[str, ...]:
    """A patient under the labelled age on `on` (domain.md §2.1); recorded tests and
    contraception that break a rule of their date (§1.3–§1.5), each named by its path; a
    negative confirmation or monthly test that does not count (it opens no fill window)
    says so. Positive results are hard-stop items in `due`."""
    found: list[str] = []
    born = d.patient.birth_date
    if on >= born and (young := age_warning(age_on(born, on))) is not None:
        found.append(f"patient.birth_date: {young.message}")
    change = settings.modification_effective_on
    verdicts = judge_window_tests(facts.ipledge_history(), modification_effective_on=change)
    judged = {id(v.test): v for v in verdicts}
    for index, test in enumerate(d.pregnancy_tests):
        verdict = judged.get(id(test))
        problems = (
            check_pregnancy_test(
                test,
                prescriber_allows_home_tests=d.home_pregnancy_tests_allowed,
                modification_effective_on=change,
            )
            if verdict is None
            else verdict.problems
        )
        for problem in problems:
            if problem.field != "result":
                found.append(f"pregnancy_tests[{index}].{problem.field}: {problem.message}")
        if verdict is not None and not verdict.counts:
            found.append(f"pregnancy_tests[{index}]: {verdict.summary()}")
    if d.patient.can_get_pregnant:
        for index, period in enumerate(d.contraception):
            for problem in check_contraception_period(period):
                found.append(f"contraception[{index}].{problem.field}: {problem.message}")
    if product is not None:
        found.extend(target_notes(is_low_dose_formulation=product.is_low_dose_formulation))
    return tuple(found)
