"""Demo data: courses at every stage, including patients on a second course whose first
ended at least 2 months before it started (domain.md §1.7)."""

from collections import Counter
from datetime import date, timedelta

from desktop.rules.calendar import add_months
from desktop.rules.ipledge import MIN_MONTHS_BEFORE_NEXT_COURSE
from desktop.services.context import Context
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_overview import get_course_overview
from desktop.services.course_records import CourseStatus
from desktop.services.demo_data import create_demo_patients
from desktop.services.patients import search_patients
from desktop.services.visits import list_visits

DEMO_ON = date(2026, 11, 20)
PATIENTS = 120


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
