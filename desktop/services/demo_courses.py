"""Synthetic courses for demo patients, at every stage a clinic sees: enrolled and waiting for
the first fill, early and late months, paused, just ended, long ended, and a second course
under way after a first that ended months before. Each is a well-run clinic's record as of the
demo date: what is due falls today or in the coming week, and the few exceptions are recent
and chosen on purpose (`CourseScenario`). Deterministic per seed; built as plain rows and
bulk-inserted.

Exceptions a nurse will find, all recent: a patient enrolled in the last two weeks whose forms,
screening test or contraception are not on record yet; a booked visit missed in the last days;
a lab alert of the last two weeks awaiting its recheck; an end-of-course or post-course test a
few days late."""

import random
from datetime import date, timedelta
from decimal import Decimal

from desktop.rules.consents import ConsentForm, required_consent_forms
from desktop.rules.first_course import CONTRACEPTION_LEAD_DAYS
from desktop.rules.ipledge_rule_sets import SCREENING_TO_CONFIRMATION_MIN_DAYS
from desktop.rules.patients import RiskCategory
from desktop.services.demo_history import CourseHistory, CourseScenario
from desktop.services.demo_labs import LabEvent
from desktop.services.demo_records import DemoClinic, DemoCourse, DemoPatient
from desktop.services.demo_schedule import DAYS_SUPPLY, Schedule, plan_offsets

STAGES = (
    ("none", 25),
    ("before_first_fill", 10),
    ("active", 40),
    ("paused", 5),
    ("recently_ended", 12),
    ("long_ended", 8),
    ("second_course", 8),
)
ENDED = frozenset({"recently_ended", "long_ended"})
PRODUCTS = (("generic", 70), ("absorica", 12), ("amnesteem", 10), ("claravis", 8))
ENDED_MONTHS = (4, 5, 5, 6, 6, 7)
"""Fills in an ended course: 15–20 weeks is the labelled course, some go longer (§2.1)."""
LONGEST_ACTIVE_DAYS = 170
RECENTLY_ENROLLED_DAYS = 14
"""Enrolled this fortnight: forms, screening test or contraception may still be missing."""
MONTHLY_EVENTS = (
    (LabEvent.TG_ALERT, 0.07),
    (LabEvent.ALT_ALERT, 0.03),
    (LabEvent.ALT_ABOVE_RANGE, 0.06),
)
"""Chances per clinic-monthly course of one abnormal draw (domain.md §3.4)."""
PEAK_EVENT_CHANCE = 0.08
"""minimal-peak: an ALT above range at the peak repeat, rechecked (§3.3 "more only if
abnormal")."""
MISSED_VISIT_CHANCE = 0.25
"""Of active courses whose latest visit could have been missed without running out."""
LATEST_DRAW_CHANCE = 0.6
"""An abnormal draw is the latest one this often, so some alerts still await their recheck."""


def _choose(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    return rng.choices([w[0] for w in weighted], [w[1] for w in weighted])[0]


def demo_courses(rng: random.Random, patient: DemoPatient, clinic: DemoClinic) -> list[DemoCourse]:
    """The patient's courses, oldest first (none for a patient only registered). Each course
    draws from a stream of its own, so one course's details never shift another's."""
    stage = _choose(rng, STAGES)
    if stage == "none":
        return []
    own = random.Random(rng.getrandbits(64))
    if stage == "second_course":
        return _two_courses(own, patient, clinic)
    return [_course(own, patient, clinic, stage)]


def _two_courses(rng: random.Random, patient: DemoPatient, clinic: DemoClinic) -> list[DemoCourse]:
    """A second course started within the last months, as the active ones are, after a
    first that ended at least 2 months before it (62 days are at least 2 calendar months,
    domain.md §1.7)."""
    second_start = clinic.today - timedelta(days=rng.randint(14, LONGEST_ACTIVE_DAYS))
    last_dose = second_start - timedelta(days=62 + rng.randint(0, 90))
    first = _course(rng, patient, clinic, "long_ended", last_dose=last_dose)
    second = _course(rng, patient, clinic, "active", start=second_start, number=2)
    return [first, second]


def _course(
    rng: random.Random,
    patient: DemoPatient,
    clinic: DemoClinic,
    stage: str,
    *,
    start: date | None = None,
    last_dose: date | None = None,
    number: int = 1,
) -> DemoCourse:
    schedule = _schedule(rng, patient, clinic.today, stage, start, last_dose)
    product = clinic.formulary.product(_choose(rng, PRODUCTS))
    protocol = rng.choice(("clinic-monthly", "clinic-monthly", "minimal-peak"))
    demo = DemoCourse(
        {
            "patient_id": patient.id,
            "number": number,
            "status": "ended" if stage in ENDED else ("paused" if stage == "paused" else "active"),
            "product": product.name,
            "start_on": schedule.start_on,
            "last_dose_on": schedule.last_dose_on,
            "target_mg_per_kg": Decimal(rng.choice((120, 150, 150, 150, 220))),
            "lab_protocol": protocol,
            "prescriber_id": clinic.prescriber_id,
            "ipledge_enrolled_on": schedule.enrolled_on,
            "home_tests_allowed": rng.random() < 0.3,
            "override_reason": "",
        }
    )
    scenario = _scenario(rng, patient, clinic.today, stage, schedule, protocol)
    CourseHistory(rng, demo, (patient, clinic), schedule, scenario, product).build()
    return demo


def _schedule(
    rng: random.Random,
    patient: DemoPatient,
    today: date,
    stage: str,
    start: date | None,
    last_dose: date | None,
) -> Schedule:
    """Anchored so that the stage holds on `today`: a waiting patient starts in the coming
    weeks and was enrolled before today; an ended course's last dose is in the past."""
    can = patient.category is RiskCategory.CAN_GET_PREGNANT
    if stage in ENDED:
        offsets = plan_offsets(
            rng, can_get_pregnant=can, months=rng.choice(ENDED_MONTHS), ends=True
        )
        days_ago = _days_since_last_dose(rng, stage)
        last = last_dose or today - timedelta(days=days_ago)
        assert offsets.last_dose is not None
        return offsets.at(last - timedelta(days=offsets.last_dose))
    if stage == "before_first_fill":
        offsets = plan_offsets(rng, can_get_pregnant=can, months=1, ends=False)
        ahead = rng.randint(1, min(40, -offsets.enrolled - 1))
        return offsets.at(today + timedelta(days=ahead))
    first = start or today - timedelta(days=rng.randint(1, LONGEST_ACTIVE_DAYS))
    months = (today - first).days // 26 + 2
    return plan_offsets(rng, can_get_pregnant=can, months=months, ends=False).at(first)


def _days_since_last_dose(rng: random.Random, stage: str) -> int:
    """Recently ended courses: half within the last 6 weeks, when the end-of-course and
    1-month tests fall (domain.md §1.7); the rest within the worklist's follow-up."""
    if stage == "long_ended":
        return rng.randint(200, 550)
    return rng.randint(1, 45) if rng.random() < 0.5 else rng.randint(46, 110)


def _scenario(
    rng: random.Random,
    patient: DemoPatient,
    today: date,
    stage: str,
    schedule: Schedule,
    protocol: str,
) -> CourseScenario:
    # The record as the day begins: today's visits, tests and fills are still to come.
    until = today - timedelta(days=1)
    paused_on, paused_at_visit = _hold(rng, schedule, until) if stage == "paused" else (None, False)
    missed = None
    if stage == "active" and rng.random() < MISSED_VISIT_CHANCE:
        missed = _missable_visit(schedule, until)
    event, event_on = _lab_event(rng, schedule, protocol, paused_on or until, missed)
    scenario = CourseScenario(
        until,
        paused_on=paused_on,
        paused_at_visit=paused_at_visit,
        missed_visit=missed,
        lab_event=event,
        lab_event_on=event_on,
    )
    if stage == "before_first_fill" and schedule.enrolled_on >= today - timedelta(
        days=RECENTLY_ENROLLED_DAYS
    ):
        return _recently_enrolled(rng, patient, today, schedule, scenario)
    return scenario


def _hold(rng: random.Random, schedule: Schedule, until: date) -> tuple[date, bool]:
    """A hold after the course's latest event: at a visit whose prescription is still to be
    filled (decided there), or on a day since the latest fill."""
    visits = [m.visit_on for m in schedule.months[1:] if m.visit_on <= until]
    fills = [m.fill_on for m in schedule.months if m.fill_on is not None and m.fill_on <= until]
    latest = max(visits + fills)
    if latest in visits and latest not in fills:
        return latest, True
    return min(until, latest + timedelta(days=rng.randint(1, 20))), False


def _missable_visit(schedule: Schedule, until: date) -> date | None:
    """The latest visit by `until`, if missing it (and so its test and fill) still leaves the
    fill before it within its 30 days: a few days overdue, never out of capsules."""
    months = schedule.months
    for index in range(len(months) - 1, 0, -1):
        if months[index].visit_on <= until:
            before = months[index - 1].fill_on
            recent = before is not None and before + timedelta(days=DAYS_SUPPLY) > until
            return months[index].visit_on if recent else None
    return None


def _lab_event(
    rng: random.Random, schedule: Schedule, protocol: str, until: date, missed: date | None
) -> tuple[LabEvent | None, date | None]:
    chance = rng.random()
    if protocol == "minimal-peak":
        return (LabEvent.ALT_ABOVE_RANGE if chance < PEAK_EVENT_CHANCE else None), None
    drawn = [v for v in schedule.visits() if v <= until and v != missed]
    for event, probability in MONTHLY_EVENTS:
        if chance < probability and drawn:
            latest = rng.random() < LATEST_DRAW_CHANCE
            return event, drawn[-1] if latest else rng.choice(drawn)
        chance -= probability
    return None, None


def _recently_enrolled(
    rng: random.Random,
    patient: DemoPatient,
    today: date,
    schedule: Schedule,
    scenario: CourseScenario,
) -> CourseScenario:
    """Paperwork still coming in for a patient enrolled this fortnight: only what is not yet
    needed (nothing before the start visit is overdue)."""
    can = patient.category is RiskCategory.CAN_GET_PREGNANT
    unsigned: frozenset[ConsentForm] = frozenset()
    if rng.random() < 0.5 and schedule.months[0].visit_on > today:
        forms = [
            r.form
            for r in required_consent_forms(
                can_get_pregnant=can, birth_date=patient.birth_date, on=schedule.enrolled_on
            )
        ]
        unsigned = frozenset(forms if rng.random() < 0.4 else [rng.choice(forms)])
    screening = rng.random() < 0.4
    contraception = rng.random() < 0.6
    # When the worklist asks for them (domain.md §1.3): no later than these, never overdue.
    screening_due = schedule.start_on - timedelta(days=SCREENING_TO_CONFIRMATION_MIN_DAYS)
    contraception_due = schedule.start_on - timedelta(days=CONTRACEPTION_LEAD_DAYS)
    return CourseScenario(
        scenario.until,
        unsigned_forms=unsigned,
        no_screening_test=can and screening and screening_due >= today,
        no_contraception=can
        and contraception
        and schedule.contraception_from == schedule.enrolled_on
        and contraception_due >= today,
    )
