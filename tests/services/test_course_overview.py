"""The chart's view of a course: dose panel numbers, iPLEDGE cycle, first-course readiness."""

from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.ipledge import IpledgeStep
from desktop.rules.patients import RiskCategory, SexAtBirth
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
)
from desktop.rules.units import WeightUnit
from desktop.services.context import Context
from desktop.services.course_dosing import record_missed_days, start_course
from desktop.services.course_lifecycle import end_course, pause_course
from desktop.services.course_overview import PostCourseTest, get_course_overview
from desktop.services.course_records import CourseRecord
from desktop.services.ipledge_steps import record_contraception, record_pregnancy_test
from desktop.services.patients import register_patient
from tests.conftest import patient_draft
from tests.services.test_courses import course_draft


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    patient = register_patient(nurse_ctx, patient_draft())
    draft = course_draft(
        nurse_ctx,
        patient.id,
        starting_weight=Decimal(70),
        starting_weight_unit=WeightUnit.KG,
        starting_mg_per_kg_day=Decimal(1),
    )
    return start_course(nurse_ctx, draft)


def test_dose_panel_counts_days_inclusive_minus_missed(
    nurse_ctx: Context, course: CourseRecord
) -> None:
    # 70 kg, 1 mg/kg/day → 70 mg/day (30 AM + 40 PM), from 2 Nov through 20 Nov = 19 days.
    record_missed_days(nurse_ctx, course.id, (date(2026, 11, 10),))
    dose = get_course_overview(nurse_ctx, course.id).dose
    assert dose is not None
    assert (dose.mg_per_day, [d.mg for d in dose.doses]) == (Decimal(70), [30, 40])
    assert dose.cumulative.dosing_days == 18
    assert dose.cumulative.cumulative_mg == Decimal(1260)
    assert dose.cumulative_mg_per_kg == Decimal("18.00")
    # 150 mg/kg = 10,500 mg; 9,240 mg left at 70 mg/day = 132 days after 20 Nov.
    assert dose.projection.days_to_target == 132
    assert dose.projection.projected_last_dose_on == date(2027, 4, 1)
    assert dose.progress == pytest.approx(0.12)


def test_a_pause_stops_the_count(nurse_ctx: Context, course: CourseRecord) -> None:
    pause_course(nurse_ctx, course.id, course.version, date(2026, 11, 11), "acne surgery")
    dose = get_course_overview(nurse_ctx, course.id).dose
    assert dose is not None
    assert dose.cumulative.dosing_days == 9  # 2–10 November
    assert dose.doses == ()


def test_first_course_readiness_and_cycle_steps(nurse_ctx: Context, course: CourseRecord) -> None:
    record_contraception(
        nurse_ctx,
        course.id,
        ContraceptionPeriod(date(2026, 10, 1), ContraceptionMethod.IUD, ContraceptionMethod.CONDOM),
    )
    record_pregnancy_test(
        nurse_ctx,
        course.id,
        PregnancyTest(
            PregnancyTestPurpose.SCREENING,
            date(2026, 10, 20),
            PregnancyTestResult.NEGATIVE,
            PregnancyTestSetting.MEDICAL,
        ),
    )
    overview = get_course_overview(nurse_ctx, course.id)
    assert overview.first_course is not None
    # The later of screening + 19 days and contraception start + 30 days (domain.md §1.3).
    assert overview.first_course.earliest_confirmation_test == date(2026, 11, 8)
    assert overview.cycle is not None
    assert IpledgeStep.COUNSELING_CONFIRMATION in overview.cycle.steps_to_do
    assert overview.items  # consents, labs … are due


def _post_course_test(purpose: PregnancyTestPurpose, on: date, result: str) -> PregnancyTest:
    return PregnancyTest(purpose, on, PregnancyTestResult(result), PregnancyTestSetting.MEDICAL)


def test_no_post_course_duties_while_the_course_runs(
    nurse_ctx: Context, course: CourseRecord
) -> None:
    assert get_course_overview(nurse_ctx, course.id).post_course is None


def test_post_course_duties_come_from_the_last_dose_with_the_tests_that_settle_them(
    nurse_ctx: Context, course: CourseRecord
) -> None:
    """domain.md §1.7, §6: tests at the end and a month after, contraception, blood
    donation and breastfeeding for a month, skin procedures for 6, next course after 2."""
    end_course(nurse_ctx, course.id, course.version, date(2026, 11, 18))
    record_pregnancy_test(
        nurse_ctx,
        course.id,
        _post_course_test(PregnancyTestPurpose.END_OF_COURSE, date(2026, 11, 19), "negative"),
    )
    post = get_course_overview(nurse_ctx, course.id).post_course
    assert post is not None
    duties = post.duties
    assert (
        duties.contraception_until,
        duties.no_blood_donation_until,
        duties.no_breastfeeding_until,
        duties.no_cosmetic_procedures_until,
        duties.earliest_next_course,
    ) == (
        date(2026, 12, 18),
        date(2026, 12, 18),
        date(2026, 12, 18),
        date(2027, 5, 18),
        date(2027, 1, 18),
    )
    assert post.tests == (
        PostCourseTest(PregnancyTestPurpose.END_OF_COURSE, date(2026, 11, 18), date(2026, 11, 19)),
        PostCourseTest(PregnancyTestPurpose.POST_COURSE, date(2026, 12, 18), None),
    )


def test_a_positive_post_course_test_is_not_done_and_is_named(
    nurse_ctx: Context, course: CourseRecord
) -> None:
    end_course(nurse_ctx, course.id, course.version, date(2026, 11, 18))
    record_pregnancy_test(
        nurse_ctx,
        course.id,
        _post_course_test(PregnancyTestPurpose.END_OF_COURSE, date(2026, 11, 19), "positive"),
    )
    post = get_course_overview(nurse_ctx, course.id).post_course
    assert post is not None
    assert post.tests[0] == PostCourseTest(
        PregnancyTestPurpose.END_OF_COURSE, date(2026, 11, 18), None, date(2026, 11, 19)
    )


def test_no_post_course_tests_for_a_patient_who_cannot_get_pregnant(
    nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient = register_patient(
        nurse_ctx,
        patient_draft(
            mrn="MRN-2002", sex_at_birth=SexAtBirth.MALE,
            risk_category=RiskCategory.CANNOT_GET_PREGNANT,
        ),
    )  # fmt: skip
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    end_course(nurse_ctx, course.id, course.version, date(2026, 11, 18))
    post = get_course_overview(nurse_ctx, course.id).post_course
    assert post is not None
    assert post.tests == ()
    assert post.duties.contraception_until is None
    assert post.duties.no_blood_donation_until == date(2026, 12, 18)
