"""Every date a service takes from a user is refused outside 1900-2099 with a Problem naming
the field, whichever screen or script sent it (the date inputs guard only the app's forms)."""

from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.consents import ConsentForm
from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.dates import IMPLAUSIBLE_YEAR
from desktop.rules.ipledge import Fill
from desktop.rules.labs import LabPanel
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestMethod,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
)
from desktop.rules.problems import first_problem_for
from desktop.rules.units import WeightUnit
from desktop.services.consents import ConsentDraft, record_consent_signature
from desktop.services.context import Context
from desktop.services.course_dosing import (
    change_dose,
    record_missed_days,
    record_weight,
    start_course,
)
from desktop.services.course_lifecycle import end_course, pause_course, resume_course
from desktop.services.course_records import CourseRecord, DoseChangeDraft, WeightDraft
from desktop.services.errors import ValidationFailed
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
from tests.conftest import PASSWORD, patient_draft
from tests.services.test_courses import course_draft

OUT_OF_RANGE = (date(1899, 12, 31), date(2100, 1, 1))


@dataclass(frozen=True)
class Chart:
    """Who acts, on which started course."""

    nurse: Context
    prescriber: Context
    course: CourseRecord


Action = Callable[[Chart, date], object]


@pytest.fixture
def chart(nurse_ctx: Context, prescriber_ctx: Context) -> Chart:
    patient = register_patient(nurse_ctx, patient_draft())
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    return Chart(nurse_ctx, prescriber_ctx, course)


def _new_patient_course(c: Chart, **changes: object) -> object:
    patient = register_patient(c.nurse, patient_draft(mrn="MRN-2002"))
    return start_course(c.nurse, course_draft(c.nurse, patient.id, **changes))


def _resume(c: Chart, day: date) -> object:
    paused = pause_course(c.nurse, c.course.id, c.course.version, date(2026, 11, 10), "flu")
    return resume_course(c.nurse, c.course.id, paused.version, day, "better")


def _visit(c: Chart, seen_on: date, next_visit_on: date | None = None) -> object:
    draft = VisitDraft(c.course.id, c.course.version, seen_on, Decimal(60), WeightUnit.KG, (0, 0))
    return record_visit(c.nurse, replace(draft, next_visit_on=next_visit_on))


def _pregnancy_test(day: date) -> PregnancyTest:
    return PregnancyTest(
        purpose=PregnancyTestPurpose.MONTHLY,
        specimen_on=day,
        result=PregnancyTestResult.NEGATIVE,
        setting=PregnancyTestSetting.MEDICAL,
        method=PregnancyTestMethod.URINE,
        verified_by="Nina Nurse",
    )


def _consent(c: Chart, day: date) -> object:
    draft = ConsentDraft(
        c.course.patient_id, ConsentForm.INFORMED_CONSENT, "2026.1", day, "Dr Priya Park"
    )
    return record_consent_signature(c.nurse, draft, PASSWORD)


ACTIONS: dict[str, tuple[str, Action]] = {
    "course start": ("start_on", lambda c, d: _new_patient_course(c, start_on=d)),
    "iPLEDGE enrolment": (
        "ipledge_enrolled_on",
        lambda c, d: _new_patient_course(c, ipledge_enrolled_on=d),
    ),
    "dose change": (
        "starts_on",
        lambda c, d: change_dose(
            c.prescriber,
            DoseChangeDraft(c.course.id, c.course.version, d, Decimal(1), "generic", "tolerating"),
        ),
    ),
    "weight": (
        "measured_on",
        lambda c, d: record_weight(
            c.nurse, WeightDraft(c.course.id, d, Decimal(61), WeightUnit.KG)
        ),
    ),
    "missed days": ("missed_days", lambda c, d: record_missed_days(c.nurse, c.course.id, (d,))),
    "pause": (
        "paused_on",
        lambda c, d: pause_course(c.nurse, c.course.id, c.course.version, d, "flu"),
    ),
    "resume": ("resumed_on", _resume),
    "end": ("last_dose_on", lambda c, d: end_course(c.nurse, c.course.id, c.course.version, d)),
    "visit": ("seen_on", lambda c, d: _visit(c, d)),
    "next visit": ("next_visit_on", lambda c, d: _visit(c, date(2026, 11, 18), d)),
    "pregnancy test": (
        "specimen_on",
        lambda c, d: record_pregnancy_test(c.nurse, c.course.id, _pregnancy_test(d)),
    ),
    "contraception": (
        "starts_on",
        lambda c, d: record_contraception(
            c.nurse,
            c.course.id,
            ContraceptionPeriod(d, ContraceptionMethod.IUD, ContraceptionMethod.CONDOM),
        ),
    ),
    "counselling": (
        "confirmed_on",
        lambda c, d: confirm_counseling(c.prescriber, c.course.id, d, PASSWORD),
    ),
    "comprehension": ("answered_on", lambda c, d: record_comprehension(c.nurse, c.course.id, d)),
    "fill": (
        "filled_on",
        lambda c, d: record_fill(c.nurse, c.course.id, Fill(d, 30), capsules=60),
    ),
    "lab order": (
        "ordered_on",
        lambda c, d: record_lab(c.nurse, LabEntryDraft(c.course.id, LabPanel.CBC, d, None)),
    ),
    "lab draw": (
        "drawn_on",
        lambda c, d: record_lab(c.nurse, LabEntryDraft(c.course.id, LabPanel.CBC, None, d)),
    ),
    "consent signed": ("signed_on", _consent),
}


@pytest.mark.parametrize("day", OUT_OF_RANGE, ids=str)
@pytest.mark.parametrize("action", ACTIONS, ids=str)
def test_a_date_outside_1900_to_2099_is_refused_naming_the_field(
    chart: Chart, action: str, day: date
) -> None:
    field, act = ACTIONS[action]
    with pytest.raises(ValidationFailed) as refused:
        act(chart, day)
    problem = first_problem_for(refused.value.problems, field)
    assert problem is not None
    assert problem.message == IMPLAUSIBLE_YEAR


@pytest.mark.parametrize("day", OUT_OF_RANGE, ids=str)
def test_a_birth_date_outside_1900_to_today_is_refused(nurse_ctx: Context, day: date) -> None:
    with pytest.raises(ValidationFailed) as refused:
        register_patient(nurse_ctx, patient_draft(birth_date=day))
    assert first_problem_for(refused.value.problems, "birth_date") is not None


def test_the_first_and_last_plausible_days_reach_the_clinical_checks(chart: Chart) -> None:
    """1900-01-01 and 2099-12-31 pass the year check; the course's own rules then decide:
    a pause before the first dose is refused, a pause planned far ahead is not."""
    with pytest.raises(ValidationFailed) as refused:
        pause_course(chart.nurse, chart.course.id, chart.course.version, date(1900, 1, 1), "flu")
    assert [p.message for p in refused.value.problems] == ["The pause starts after the first dose."]
    paused = pause_course(
        chart.nurse, chart.course.id, chart.course.version, date(2099, 12, 31), "long trip"
    )
    assert paused.status.value == "paused"
