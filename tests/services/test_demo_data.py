"""Demo data: courses at every stage, including patients on a second course whose first
ended at least 2 months before it started (domain.md §1.7); every recorded fact the same for
the same seed and date in another database. The demo clinic's shape on its date (worklist,
consents, fills, labs) is tests/services/test_demo_clinic.py."""

from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import select

from db.base import Base
from db.engine import create_clinic_engine
from db.migrate import upgrade
from desktop.rules.calendar import add_months
from desktop.rules.ipledge import MIN_MONTHS_BEFORE_NEXT_COURSE
from desktop.services.clinic_setup import SetupDraft, create_first_admin
from desktop.services.context import Context, FixedClock, open_clinic
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_overview import get_course_overview
from desktop.services.course_records import CourseStatus
from desktop.services.demo_data import create_demo_patients
from desktop.services.patients import search_patients
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft
from desktop.services.visits import list_visits

DEMO_ON = date(2026, 11, 20)
PATIENTS = 120
FACTS = (
    "courses",
    "dose_periods",
    "weights",
    "missed_doses",
    "course_pauses",
    "visits",
    "pregnancy_tests",
    "contraception_periods",
    "counseling_confirmations",
    "comprehension_answers",
    "fills",
    "lab_results",
    "consent_signatures",
)


def test_some_demo_patients_are_on_a_second_course_after_a_first_long_ended(
    admin_ctx: Context,
) -> None:
    create_demo_patients(admin_ctx, PATIENTS, seed=5, on=DEMO_ON)
    patients = search_patients(admin_ctx, "DEMO-5-", limit=PATIENTS)
    assert len(patients) == PATIENTS
    courses = {p.id: list_courses(admin_ctx, p.id) for p in patients}
    twice = {pid: found for pid, found in courses.items() if len(found) == 2}
    assert len(twice) >= 3  # about 7% of the clinic
    for second, first in twice.values():  # newest first
        assert (first.number, second.number) == (1, 2)
        assert first.status is CourseStatus.ENDED
        assert first.last_dose_on is not None
        earliest = add_months(first.last_dose_on, MIN_MONTHS_BEFORE_NEXT_COURSE)
        assert earliest <= second.start_on <= DEMO_ON
        assert second.start_on >= DEMO_ON - timedelta(days=170)  # as recent as active ones
        assert second.status is CourseStatus.ACTIVE
        assert second.override_reason == ""  # no early start needed an override
        assert list_visits(admin_ctx, first.id)  # the first course's history is kept
        overview = get_course_overview(admin_ctx, second.id)
        assert overview.dose is not None
        assert overview.dose.cumulative.dosing_days > 0
    assert max(len(found) for found in courses.values()) == 2
    statuses = Counter(c.status for found in courses.values() for c in found)
    assert set(statuses) == set(CourseStatus)


def _facts(ctx: Context) -> dict[str, Counter[tuple[Any, ...]]]:
    """Every demo fact row, without the row ids the databases hand out."""
    found = {}
    with ctx.sessions.read() as session:
        for name in FACTS:
            table = Base.metadata.tables[name]
            columns = [c for c in table.c if not c.name.endswith("id")]
            found[name] = Counter(tuple(row) for row in session.execute(select(*columns)))
    return found


def test_the_same_seed_and_date_record_the_same_facts_in_another_database(
    admin_ctx: Context, tmp_path: Path
) -> None:
    """Visits with their findings, tests, labs with values and ranges, consents with their
    versions and guardians: all the same in a second database (PostgreSQL against SQLite
    when the tests run on PostgreSQL)."""
    url = f"sqlite:///{tmp_path / 'other.db'}"
    engine = create_clinic_engine(url)
    upgrade(engine)
    engine.dispose()
    other_clinic = open_clinic(url, clock=FixedClock(admin_ctx.now()), workstation="other")
    try:
        admin = StaffDraft("admin", "Ada Admin", Role.ADMIN, "correct horse battery staple")
        other = create_first_admin(other_clinic, SetupDraft("Lakeside Skin", admin))
        create_demo_patients(admin_ctx, 40, seed=9, on=DEMO_ON)
        create_demo_patients(other, 40, seed=9, on=DEMO_ON)
        first, second = _facts(admin_ctx), _facts(other)
    finally:
        other_clinic.close()
    assert all(first[name] for name in FACTS)
    assert first == second
