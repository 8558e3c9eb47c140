"""Recording iPLEDGE steps: who may record what, and what the rules refuse."""

from datetime import date

import pytest

from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.ipledge import Fill
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestMethod,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
)
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.errors import AuthenticationFailed, NotAllowed, ValidationFailed
from desktop.services.ipledge_steps import (
    confirm_counseling,
    record_comprehension,
    record_contraception,
    record_fill,
    record_pregnancy_test,
)
from desktop.services.patients import find_patient_by_mrn, patient_history, register_patient
from tests.conftest import PASSWORD, patient_draft
from tests.services.test_courses import course_draft


@pytest.fixture
def course_id(nurse_ctx: Context, prescriber_ctx: Context) -> int:
    patient = register_patient(nurse_ctx, patient_draft())
    return start_course(nurse_ctx, course_draft(nurse_ctx, patient.id)).id


def _test(**changes: object) -> PregnancyTest:
    fields: dict[str, object] = {
        "purpose": PregnancyTestPurpose.MONTHLY,
        "specimen_on": date(2026, 11, 18),
        "result": PregnancyTestResult.NEGATIVE,
        "setting": PregnancyTestSetting.MEDICAL,
        "method": PregnancyTestMethod.URINE,
        "verified_by": "Nina Nurse",
    }
    fields.update(changes)
    return PregnancyTest(**fields)  # type: ignore[arg-type]


def test_a_nurse_cannot_confirm_counseling_but_a_prescriber_can(
    nurse_ctx: Context, prescriber_ctx: Context, course_id: int
) -> None:
    with pytest.raises(NotAllowed, match="Only a prescriber"):
        confirm_counseling(nurse_ctx, course_id, date(2026, 11, 18), PASSWORD)
    with pytest.raises(AuthenticationFailed):
        confirm_counseling(prescriber_ctx, course_id, date(2026, 11, 18), "not my password")
    assert confirm_counseling(prescriber_ctx, course_id, date(2026, 11, 18), PASSWORD) > 0
    patient_id = find_patient_by_mrn(nurse_ctx, patient_draft().mrn).id
    signed = {c.field: c.new for c in patient_history(nurse_ctx, patient_id)[0].changes}
    assert signed["signed_by"] == "Dr Priya Park"
    assert signed["meaning"].startswith("I counselled this patient")
    assert len(signed["signature_hash"]) == 64


def test_home_monthly_test_is_refused_unless_the_prescriber_allows_it(
    nurse_ctx: Context, course_id: int
) -> None:
    with pytest.raises(ValidationFailed) as refused:
        record_pregnancy_test(nurse_ctx, course_id, _test(setting=PregnancyTestSetting.HOME))
    assert refused.value.problems[0].field == "setting"


def test_a_positive_test_is_kept_on_record(nurse_ctx: Context, course_id: int) -> None:
    record_pregnancy_test(nurse_ctx, course_id, _test(result=PregnancyTestResult.POSITIVE))
    patient_id = find_patient_by_mrn(nurse_ctx, patient_draft().mrn).id
    entry = patient_history(nurse_ctx, patient_id)[0]
    assert entry.action == "pregnancy_test.create"
    assert {c.field: c.new for c in entry.changes}["result"] == "positive"


def test_future_specimen_date_is_refused(nurse_ctx: Context, course_id: int) -> None:
    with pytest.raises(ValidationFailed, match="future"):
        record_pregnancy_test(nurse_ctx, course_id, _test(specimen_on=date(2026, 12, 1)))


def test_contraception_needs_two_methods_or_abstinence(nurse_ctx: Context, course_id: int) -> None:
    one = ContraceptionPeriod(date(2026, 10, 1), ContraceptionMethod.IUD, None)
    with pytest.raises(ValidationFailed):
        record_contraception(nurse_ctx, course_id, one)
    two = ContraceptionPeriod(
        date(2026, 10, 1), ContraceptionMethod.IUD, ContraceptionMethod.CONDOM
    )
    assert record_contraception(nurse_ctx, course_id, two) > 0
    assert (
        record_contraception(
            nurse_ctx, course_id, ContraceptionPeriod(date(2026, 11, 1), abstinence=True)
        )
        > 0
    )


def test_fill_over_thirty_days_is_refused(nurse_ctx: Context, course_id: int) -> None:
    with pytest.raises(ValidationFailed, match="30"):
        record_fill(nurse_ctx, course_id, Fill(date(2026, 11, 18), 31))
    assert record_fill(nurse_ctx, course_id, Fill(date(2026, 11, 18), 30), capsules=60) > 0


def test_comprehension_questions_are_recorded(nurse_ctx: Context, course_id: int) -> None:
    assert record_comprehension(nurse_ctx, course_id, date(2026, 11, 18)) > 0
