"""A demo patient's whole course through the services the app calls: enrolment, three
monthly visits, the end of treatment and post-course follow-up; the worklist is checked at
each step as the nurse would read it."""

from datetime import date, timedelta
from decimal import Decimal

from desktop.rules.consents import ConsentForm
from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.ipledge import Fill
from desktop.rules.labs import LabPanel, LabResults
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestMethod,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
)
from desktop.rules.units import WeightUnit
from desktop.rules.worklist import WorkKind
from desktop.services.consents import ConsentDraft, record_consent_signature
from desktop.services.context import Context, FixedClock
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import end_course, list_courses
from desktop.services.course_overview import get_course_overview
from desktop.services.ipledge_steps import (
    confirm_counseling,
    record_comprehension,
    record_contraception,
    record_fill,
    record_pregnancy_test,
)
from desktop.services.labs import LabEntryDraft, record_lab
from desktop.services.patients import register_patient
from desktop.services.visits import VisitDraft, record_visit
from desktop.services.worklist import load_worklist, refresh_worklist
from tests.conftest import NOW, PASSWORD, patient_draft
from tests.services.test_courses import course_draft

START = date(2026, 11, 25)


def _kinds(ctx: Context) -> set[WorkKind]:
    refresh_worklist(ctx)
    return {row.kind for row in load_worklist(ctx).rows if row.mrn == "MRN-1001"}


def _go_to(clock: FixedClock, day: date) -> None:
    clock.instant = NOW + timedelta(days=(day - date(2026, 11, 20)).days)


def _test(purpose: PregnancyTestPurpose, day: date) -> PregnancyTest:
    return PregnancyTest(
        purpose,
        day,
        PregnancyTestResult.NEGATIVE,
        PregnancyTestSetting.MEDICAL,
        PregnancyTestMethod.URINE,
        verified_by="Nina Nurse",
    )


def _month(nurse: Context, prescriber: Context, course_id: int, day: date) -> None:
    """One monthly cycle: test, counselling, questions, fill (domain.md §1.4)."""
    record_pregnancy_test(nurse, course_id, _test(PregnancyTestPurpose.MONTHLY, day))
    confirm_counseling(prescriber, course_id, day, PASSWORD)
    record_comprehension(nurse, course_id, day)
    record_fill(nurse, course_id, Fill(day, 30), capsules=60)


def test_enrolment_three_visits_and_post_course_follow_up(
    nurse_ctx: Context, prescriber_ctx: Context, clock: FixedClock
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    draft = course_draft(nurse_ctx, patient.id, start_on=START)
    course = start_course(nurse_ctx, draft)
    assert WorkKind.CONSENT_MISSING in _kinds(nurse_ctx)

    # Enrolment: consents, contraception, screening test, baseline labs.
    for form in ConsentForm:
        record_consent_signature(
            nurse_ctx,
            ConsentDraft(patient.id, form, "2026.1", date(2026, 11, 20), "Dr Priya Park"),
            PASSWORD,
        )
    record_contraception(
        nurse_ctx,
        course.id,
        ContraceptionPeriod(date(2026, 10, 1), ContraceptionMethod.IUD, ContraceptionMethod.CONDOM),
    )
    record_pregnancy_test(
        nurse_ctx, course.id, _test(PregnancyTestPurpose.SCREENING, date(2026, 11, 5))
    )
    for panel in (LabPanel.LFT, LabPanel.LIPIDS):
        record_lab(
            nurse_ctx,
            LabEntryDraft(
                course.id,
                panel,
                None,
                date(2026, 11, 20),
                LabResults(triglycerides_mg_dl=Decimal(120))
                if panel is LabPanel.LIPIDS
                else LabResults(alt_u_l=Decimal(20), alt_uln_u_l=Decimal(40)),
            ),
        )
    assert WorkKind.CONSENT_MISSING not in _kinds(nurse_ctx)

    # First fill after the confirmation test (≥ 19 days after screening, §1.3).
    readiness = get_course_overview(nurse_ctx, course.id).first_course
    assert readiness is not None
    assert readiness.earliest_confirmation_test == date(2026, 11, 24)
    _go_to(clock, START)
    record_pregnancy_test(nurse_ctx, course.id, _test(PregnancyTestPurpose.CONFIRMATION, START))
    confirm_counseling(prescriber_ctx, course.id, START, PASSWORD)
    record_comprehension(nurse_ctx, course.id, START)
    record_fill(nurse_ctx, course.id, Fill(START, 30), capsules=60)

    # Three monthly visits, each followed by the month's iPLEDGE steps.
    for month in range(1, 4):
        day = START + timedelta(days=28 * month)
        _go_to(clock, day)
        current = list_courses(nurse_ctx, patient.id)[0]
        record_visit(
            nurse_ctx,
            VisitDraft(
                current.id,
                current.version,
                day,
                Decimal("61"),
                WeightUnit.KG,
                (0, 0),
                next_visit_on=day + timedelta(days=28),
            ),
        )
        _month(nurse_ctx, prescriber_ctx, course.id, day)
        assert WorkKind.PREGNANCY_TEST not in _kinds(nurse_ctx)

    overview = get_course_overview(nurse_ctx, course.id)
    assert overview.dose is not None
    assert overview.dose.cumulative.dosing_days == 28 * 3 + 1

    # End of treatment: the end-of-course and post-course pregnancy tests come due (§1.7).
    last_dose = START + timedelta(days=28 * 3 + 5)
    _go_to(clock, last_dose)
    current = list_courses(nurse_ctx, patient.id)[0]
    end_course(nurse_ctx, course.id, current.version, last_dose)
    assert WorkKind.END_OF_COURSE_PREGNANCY_TEST in _kinds(nurse_ctx)
    record_pregnancy_test(
        nurse_ctx, course.id, _test(PregnancyTestPurpose.END_OF_COURSE, last_dose)
    )
    _go_to(clock, last_dose + timedelta(days=30))
    assert WorkKind.POST_COURSE_PREGNANCY_TEST in _kinds(nurse_ctx)
    record_pregnancy_test(
        nurse_ctx,
        course.id,
        _test(PregnancyTestPurpose.POST_COURSE, last_dose + timedelta(days=30)),
    )
    assert WorkKind.POST_COURSE_PREGNANCY_TEST not in _kinds(nurse_ctx)
