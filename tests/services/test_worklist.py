"""The stored worklist: current after every save, refreshed daily, filtered, most urgent first."""

from datetime import date, timedelta

import pytest

from desktop.rules.consents import ConsentForm
from desktop.rules.worklist import ItemStatus, WorkKind
from desktop.services.consents import ConsentDraft, record_consent_signature
from desktop.services.context import Context, FixedClock
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import end_course, list_prescribers
from desktop.services.course_records import CourseRecord
from desktop.services.patients import register_patient
from desktop.services.worklist import load_worklist, refresh_worklist
from tests.conftest import PASSWORD, patient_draft
from tests.services.test_courses import course_draft


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    patient = register_patient(nurse_ctx, patient_draft())
    return start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))


def test_a_new_course_shows_its_missing_consents_at_once(
    nurse_ctx: Context, course: CourseRecord
) -> None:
    view = load_worklist(nurse_ctx)
    consents = [r for r in view.rows if r.kind is WorkKind.CONSENT_MISSING]
    assert len(consents) == 3
    assert {r.mrn for r in consents} == {"MRN-1001"}
    assert consents[0].patient_name == "Zoë O'Brien-Núñez (Zo)"
    assert consents[0].status is ItemStatus.OVERDUE
    assert view.stale_courses == 0


def test_signing_a_consent_takes_it_off_the_worklist(
    nurse_ctx: Context, course: CourseRecord
) -> None:
    draft = ConsentDraft(
        course.patient_id,
        ConsentForm.INFORMED_CONSENT,
        "2026.1",
        date(2026, 11, 20),
        "Dr Priya Park",
    )
    record_consent_signature(nurse_ctx, draft, PASSWORD)
    missing = [
        r.message for r in load_worklist(nurse_ctx).rows if r.kind is WorkKind.CONSENT_MISSING
    ]
    assert len(missing) == 2
    assert not any("informed consent" in m for m in missing)


def test_rows_are_sorted_most_urgent_first(nurse_ctx: Context, course: CourseRecord) -> None:
    rows = load_worklist(nurse_ctx).rows
    ranks = [(-r.severity.rank, r.due_on) for r in rows]
    assert ranks == sorted(ranks, key=lambda pair: pair[0])


def test_filters_by_kind_and_prescriber(
    nurse_ctx: Context, prescriber_ctx: Context, course: CourseRecord
) -> None:
    only_labs = load_worklist(nurse_ctx, kinds=frozenset({WorkKind.LAB}))
    assert only_labs.rows
    assert {r.kind for r in only_labs.rows} == {WorkKind.LAB}
    prescriber = list_prescribers(nurse_ctx)[0]
    assert load_worklist(nurse_ctx, prescriber_id=prescriber.id).rows
    assert load_worklist(nurse_ctx, prescriber_id=prescriber.id + 99).rows == ()


def test_a_new_day_is_refreshed_in_the_background(
    nurse_ctx: Context, clock: FixedClock, course: CourseRecord
) -> None:
    clock.instant += timedelta(days=1)
    assert load_worklist(nurse_ctx).stale_courses == 1
    assert refresh_worklist(nurse_ctx) == 1
    assert load_worklist(nurse_ctx).stale_courses == 0


def test_an_ended_course_leaves_the_worklist_after_follow_up(
    nurse_ctx: Context, clock: FixedClock, course: CourseRecord
) -> None:
    end_course(nurse_ctx, course.id, course.version, date(2026, 11, 19))
    clock.instant += timedelta(days=130)
    refresh_worklist(nurse_ctx)
    assert load_worklist(nurse_ctx).rows == ()
