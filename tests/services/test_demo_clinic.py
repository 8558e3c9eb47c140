"""Issue 4: a new nurse tries the app on a 200-patient demo clinic and it looks like a
well-run clinic on the demo's date. The worklist holds this week's work, a few items due
today and a few percent overdue, none by more than 21 days; every started course has its
consents (but a few patients enrolled this fortnight), every active course a fill within 30
days; labs are in the catalogue's format with the lab's own range, varied, and an abnormal
result is always rechecked once its recheck is due.

The overdue items are chosen on purpose (desktop/services/demo_courses.py): a visit missed
in the last days with its labs, a lab alert of the last 17 days awaiting its recheck, an
end-of-course or 1-month test a few days late."""

from collections import Counter, defaultdict
from collections.abc import Iterator
from datetime import date, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import select

from db.models import Course, CoursePause, DosePeriodRow, LabResultRow
from desktop.rules.ages import is_minor_on
from desktop.rules.calendar import add_months
from desktop.rules.consents import ConsentForm, required_consent_forms
from desktop.rules.lab_analytes import Analyte
from desktop.rules.labs import FlagLevel, flag_results
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import PregnancyTestPurpose
from desktop.rules.worklist import ItemStatus, WorkKind
from desktop.services.catalog.consent_templates import (
    consent_template_versions,
    load_consent_template,
)
from desktop.services.catalog.protocols import load_lab_protocol
from desktop.services.consents import consent_signatures
from desktop.services.context import Clinic, Context
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_records import CourseRecord, CourseStatus
from desktop.services.course_snapshot import CourseSnapshot, load_snapshots
from desktop.services.demo_data import create_demo_patients
from desktop.services.labs import results_from_json, results_to_json
from desktop.services.patients import search_patients
from desktop.services.records import PatientListRow
from desktop.services.visits import list_visits
from desktop.services.worklist import load_worklist, worklist_on

DEMO_ON = date(2026, 11, 20)
"""The tests' today (tests/conftest.py), so the stored worklist is the demo date's."""
BEFORE_THE_IPLEDGE_CHANGE = date(2026, 3, 2)
PATIENTS = 200
SEED = 1
LONGEST_OVERDUE = timedelta(days=21)
RECENTLY_ENROLLED = timedelta(days=14)
RECHECK_INTERVAL = timedelta(days=28)
"""minimal-peak books a recheck 28 days after an abnormal result; clinic-monthly's next
monthly draw comes within the same 28 days."""
EVERYDAY_KINDS = frozenset(
    {
        WorkKind.VISIT,
        WorkKind.LAB,
        WorkKind.PREGNANCY_TEST,
        WorkKind.COUNSELING_CONFIRMATION,
        WorkKind.COMPREHENSION_QUESTIONS,
        WorkKind.FILL_WINDOW_CLOSING,
        WorkKind.CONSENT_MISSING,
        WorkKind.CONFIRMATION_TEST,
        WorkKind.SCREENING_TEST,
        WorkKind.POST_COURSE_PREGNANCY_TEST,
    }
)
"""What a nurse meets in a week of this clinic."""
WELL_RUN_KINDS = EVERYDAY_KINDS | {
    WorkKind.CONTRACEPTION,
    WorkKind.END_OF_COURSE_PREGNANCY_TEST,
}
"""Contraception (before a first course, not yet recorded) and a late end-of-course test
come now and then. Never: a positive pregnancy test, a same-day follow-up."""


@pytest.fixture
def demo(admin_ctx: Context) -> Context:
    create_demo_patients(admin_ctx, PATIENTS, SEED, on=DEMO_ON)
    return admin_ctx


def _patients(ctx: Context) -> list[PatientListRow]:
    found = search_patients(ctx, f"DEMO-{SEED}-", limit=PATIENTS)
    assert len(found) == PATIENTS
    return list(found)


def _snapshots(ctx: Context) -> Iterator[tuple[CourseRecord, CourseSnapshot]]:
    courses = {c.id: c for p in _patients(ctx) for c in list_courses(ctx, p.id)}
    with ctx.sessions.read() as session:
        snapshots = load_snapshots(session, select(Course.id))
    for course_id, snapshot in snapshots.items():
        yield courses[course_id], snapshot


def test_the_worklist_holds_this_weeks_work_and_a_few_recent_overdue_items(demo: Context) -> None:
    view = load_worklist(demo)
    assert view.as_of == DEMO_ON
    assert len(view.rows) == view.total > 80
    overdue = [r for r in view.rows if r.status is ItemStatus.OVERDUE]
    assert 0 < len(overdue) < 0.1 * view.total
    assert view.count(ItemStatus.DUE) > 0
    assert view.count(ItemStatus.UPCOMING) > 0.8 * view.total
    assert all(DEMO_ON - r.due_on <= LONGEST_OVERDUE for r in overdue)
    assert set(view.counts_by_kind) >= EVERYDAY_KINDS
    assert set(view.counts_by_kind) <= WELL_RUN_KINDS
    missing = [r for r in view.rows if r.kind is WorkKind.CONSENT_MISSING]
    assert all(r.status is ItemStatus.UPCOMING for r in missing)  # courses not yet started
    alerts = [r for r in view.rows if r.kind is WorkKind.LAB and " drawn " in r.message]
    assert alerts  # a recent lab alert awaits its recheck
    assert all(DEMO_ON - r.due_on <= timedelta(days=17) for r in alerts)


@pytest.mark.parametrize("on", [DEMO_ON, BEFORE_THE_IPLEDGE_CHANGE])
def test_the_demo_clinic_is_as_tidy_on_any_date(
    admin_ctx: Context, clinic: Clinic, on: date
) -> None:
    """Before the 2026 iPLEDGE change too: monthly counselling for patients who cannot get
    pregnant, the confirmation test sent to a CLIA laboratory (domain.md §0)."""
    create_demo_patients(admin_ctx, PATIENTS, SEED, on=on)
    rows = worklist_on(clinic, on)
    overdue = [r for r in rows if r.status is ItemStatus.OVERDUE]
    assert len(overdue) < 0.1 * len(rows)
    assert all(on - r.due_on <= LONGEST_OVERDUE for r in overdue)
    assert {r.kind for r in rows} <= WELL_RUN_KINDS


def _expected_version(form: ConsentForm, signed_on: date) -> str:
    versions = consent_template_versions(form)
    current = [v for v in versions if load_consent_template(form, v).effective_on <= signed_on]
    return (current or [versions[0]])[-1]  # signed before any: the first version


def test_every_started_course_has_its_consents_but_a_few_just_enrolled(demo: Context) -> None:
    """Every form the patient needs by category and age, signed at enrolment in the version
    then in force, with a guardian when the patient was under 18 that day (domain.md §5)."""
    unsigned: list[CourseRecord] = []
    versions: Counter[tuple[ConsentForm, str]] = Counter()
    for patient in _patients(demo):
        signed = consent_signatures(demo, patient.id)
        for course in list_courses(demo, patient.id):
            assert course.ipledge_enrolled_on is not None
            needed = required_consent_forms(
                can_get_pregnant=patient.risk_category is RiskCategory.CAN_GET_PREGNANT,
                birth_date=patient.birth_date,
                on=course.ipledge_enrolled_on,
            )
            own = {s.form: s for s in signed if s.signed_on == course.ipledge_enrolled_on}
            for need in needed:
                signature = own.get(need.form)
                if signature is None:
                    unsigned.append(course)
                    continue
                versions[need.form, signature.template_version] += 1
                assert signature.template_version == _expected_version(
                    need.form, signature.signed_on
                )
                minor = is_minor_on(patient.birth_date, signature.signed_on)
                assert bool(signature.guardian_name) is minor
                assert bool(signature.guardian_relationship) is minor
    assert 0 < len(unsigned) <= 5
    for course in unsigned:
        assert course.start_on > DEMO_ON
        assert course.ipledge_enrolled_on is not None
        assert course.ipledge_enrolled_on >= DEMO_ON - RECENTLY_ENROLLED
    counseling = ConsentForm.CONTRACEPTION_COUNSELING
    assert versions[counseling, "2026.1"]
    assert versions[counseling, "2026.2"]  # in force from 1 November


def test_each_active_course_fills_monthly_with_its_visits_and_tests(demo: Context) -> None:
    """A fill every 30 days at most, the latest within the last 30; a visit every 4 weeks
    with its weighing; a negative test before each fill for a patient who can get pregnant
    (domain.md §1.4, §1.6)."""
    active = 0
    for course, snapshot in _snapshots(demo):
        if course.status is not CourseStatus.ACTIVE or course.start_on > DEMO_ON:
            continue
        active += 1
        fills = sorted(f.filled_on for f in snapshot.fills)
        assert DEMO_ON - fills[-1] <= timedelta(days=30)
        assert all(later - earlier <= timedelta(days=30) for earlier, later in pairwise(fills))
        visits = sorted(snapshot.visits)
        assert all(later <= add_months(earlier, 1) for earlier, later in pairwise(visits))
        if snapshot.category is RiskCategory.CAN_GET_PREGNANT:
            tests = [t.specimen_on for t in snapshot.pregnancy_tests if t.is_negative]
            for filled in fills:
                assert any(filled - timedelta(days=6) <= t <= filled for t in tests)
    assert active > 60


def test_paused_and_ended_courses_are_followed_up(demo: Context) -> None:
    """A hold always has its reason; an ended course's end-of-course and 1-month tests are
    on record once they are more than a few days due (domain.md §1.7)."""
    with demo.sessions.read() as session:
        pauses = dict(
            session.execute(select(CoursePause.course_id, CoursePause.pause_reason)).all()
        )
    ended = 0
    for course, snapshot in _snapshots(demo):
        if course.status is CourseStatus.PAUSED:
            assert pauses[course.id].strip()
        if (
            course.status is not CourseStatus.ENDED
            or snapshot.category is not RiskCategory.CAN_GET_PREGNANT
        ):
            continue
        assert course.last_dose_on is not None
        done = {t.purpose for t in snapshot.pregnancy_tests if t.is_negative}
        if DEMO_ON - course.last_dose_on > timedelta(days=5):
            assert PregnancyTestPurpose.END_OF_COURSE in done
            ended += 1
        if DEMO_ON - add_months(course.last_dose_on, 1) > timedelta(days=4):
            assert PregnancyTestPurpose.POST_COURSE in done
    assert ended > 10
    assert len(pauses) >= 3


def test_labs_are_in_the_catalogue_format_varied_and_rechecked(demo: Context) -> None:
    """Each result with its unit and the lab's own range, written exactly as the lab
    dialog writes it; values differ; an abnormal result that asks for a recheck has a later
    draw of its panel once the recheck is due (domain.md §3.3, §3.4)."""
    with demo.sessions.read() as session:
        stored = session.execute(select(LabResultRow.results_json)).scalars().all()
    for text in stored:
        results = results_from_json(text)
        assert results_to_json(results) == text
        assert all(r.lower_limit is not None or r.upper_limit is not None for r in results.values)
    values: dict[Analyte, set[str]] = defaultdict(set)
    alerts, rechecked = 0, 0
    for course, snapshot in _snapshots(demo):
        rules = load_lab_protocol(course.lab_protocol).flag_rules
        for draw in snapshot.lab_draws:
            for result in draw.results.values:
                values[result.analyte].add(str(result.value))
            flags = flag_results(draw, rules)
            alerts += any(f.level is not FlagLevel.INFO for f in flags)
            if not any(f.recheck for f in flags) or DEMO_ON - draw.drawn_on <= RECHECK_INTERVAL:
                continue
            later = [
                d
                for d in snapshot.lab_draws
                if d.panel is draw.panel and d.drawn_on > draw.drawn_on
            ]
            assert later, (
                f"course {course.id}: the {draw.panel} of {draw.drawn_on} was not rechecked"
            )
            assert not any(
                f.recheck for f in flag_results(min(later, key=lambda d: d.drawn_on), rules)
            )
            rechecked += 1
    assert all(len(values[a]) >= 15 for a in (Analyte.ALT, Analyte.TRIGLYCERIDES, Analyte.HDL))
    assert alerts >= 3
    assert rechecked >= 3


def test_doses_change_for_the_reasons_a_prescriber_gives(demo: Context) -> None:
    with demo.sessions.read() as session:
        reasons = Counter(session.execute(select(DosePeriodRow.reason)).scalars())
    assert not [r for r in reasons if "demo" in r.lower() or not r.strip()]
    assert reasons["Starting dose: 0.5 mg/kg/day for the first month"] > 50
    assert reasons["Tolerating well: increase to 1 mg/kg/day"] > 10
    assert any(r.startswith("Dry lips and nosebleeds: reduce") for r in reasons)
    assert any(r.startswith(("Triglycerides", "ALT")) for r in reasons)  # after a lab alert
    assert len(reasons) > 15


def test_visits_record_weight_side_effects_and_mood(demo: Context) -> None:
    """Each visit with its own weighing, drifting a little; dryness on most visits but no
    effect calling for same-day follow-up; now and then a positive PHQ-2 answered with a
    PHQ-9 whose question 9 is 0 (domain.md §4.1, §4.2)."""
    visits = [
        visit for course, snapshot in _snapshots(demo) for visit in list_visits(demo, course.id)
    ]
    assert len(visits) > 300
    assert sum(bool(v.side_effects) for v in visits) > len(visits) / 2
    assert not [v for v in visits if v.urgent_effects]
    screened = [v.mood for v in visits if v.mood is not None]
    assert len(screened) == len(visits)
    positive = [m for m in screened if m.phq9 is not None]
    assert positive
    assert len(positive) < len(visits) / 20
    assert not [m for m in screened if m.needs_same_day_follow_up or m.needs_phq9]
