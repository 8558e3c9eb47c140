"""The chart's view of a course: dose panel numbers, iPLEDGE cycle, first-course readiness."""

from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.ipledge import IpledgeStep
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
)
from desktop.rules.units import WeightUnit
from desktop.services.context import Context
from desktop.services.course_dosing import record_missed_days, start_course
from desktop.services.course_lifecycle import pause_course
from desktop.services.course_overview import get_course_overview
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
