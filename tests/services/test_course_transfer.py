"""`isotrack course import` checks a course description like the app checks each fact:
pregnancy tests on their own merits (domain.md §1.3, §1.4), doses against the product's
labelled maximum (§2.1); import then export gives the same facts."""

import copy
import json
from typing import Any

import pytest

from desktop.services.context import Context
from desktop.services.course_transfer import export_course, import_course
from desktop.services.errors import ValidationFailed
from desktop.services.patients import register_patient
from tests.conftest import patient_draft

COURSE: dict[str, Any] = {
    "patient": {"birth_date": "2001-03-14", "can_get_pregnant": True},
    "product": "generic",
    "start_date": "2026-06-03",
    "end_date": None,
    "target_mg_per_kg": 150,
    "lab_protocol": "clinic-monthly",
    "weights": [{"date": "2026-06-01", "kg": 60}],
    "doses": [{"from": "2026-06-03", "mg_per_day": 60}],
    "missed_days": [],
    "pregnancy_tests": [
        {"specimen_date": "2026-05-01", "result": "negative", "purpose": "screening"},
        {"specimen_date": "2026-06-01", "result": "negative", "purpose": "confirmation"},
    ],
    "counseling_confirmations": ["2026-06-01"],
    "comprehension_answers": ["2026-06-01"],
    "contraception": [{"from": "2026-04-01", "primary": "iud", "secondary": "condom"}],
    "fills": [{"date": "2026-06-03", "days_supply": 30}],
    "labs": [],
}


def course(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(COURSE)
    data.update(changes)
    return data


def with_test(test: dict[str, Any], **changes: Any) -> dict[str, Any]:
    return course(pregnancy_tests=[*COURSE["pregnancy_tests"], test], **changes)


@pytest.fixture
def patient(nurse_ctx: Context, prescriber_ctx: Context) -> str:
    return register_patient(nurse_ctx, patient_draft()).mrn


def refused(ctx: Context, mrn: str, data: dict[str, Any]) -> list[tuple[str, str]]:
    with pytest.raises(ValidationFailed) as caught:
        import_course(ctx, mrn, json.dumps(data), "drpark")
    return [(p.field, p.message) for p in caught.value.problems]


HOME_MONTHLY = {
    "specimen_date": "2026-07-01",
    "result": "negative",
    "purpose": "monthly",
    "setting": "home",
}


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        pytest.param(
            with_test(HOME_MONTHLY, home_pregnancy_tests_allowed=True),
            "pregnancy_tests[2].setting",
            "not accepted under the iPLEDGE rules in force on 2026-07-01",
            id="§1.4-home-test-before-the-change",
        ),
        pytest.param(
            with_test({**HOME_MONTHLY, "specimen_date": "2026-09-01"}),
            "pregnancy_tests[2].setting",
            "has not allowed home tests",
            id="§1.4-home-test-not-allowed-by-the-prescriber",
        ),
        pytest.param(
            with_test(
                {**HOME_MONTHLY, "specimen_date": "2026-09-01"}, home_pregnancy_tests_allowed=True
            ),
            "pregnancy_tests[2].verification_method",
            "how the home result was verified",
            id="§1.4-home-test-not-verified",
        ),
        pytest.param(
            course(
                pregnancy_tests=[
                    COURSE["pregnancy_tests"][0],
                    {**COURSE["pregnancy_tests"][1], "clia_certified_lab": False},
                ]
            ),
            "pregnancy_tests[1].clia_certified_lab",
            "CLIA-certified laboratory",
            id="§1.3-2021-confirmation-not-from-a-CLIA-laboratory",
        ),
    ],
)
def test_a_test_the_app_would_refuse_is_refused_naming_its_path(
    nurse_ctx: Context, patient: str, data: dict[str, Any], field: str, words: str
) -> None:
    problems = refused(nurse_ctx, patient, data)
    assert problems[0][0] == field
    assert words in problems[0][1]
    assert all(f.startswith(field.split(".")[0] + ".") for f, _ in problems)
    with pytest.raises(Exception, match="has no course"):
        export_course(nurse_ctx.clinic, patient)


@pytest.mark.parametrize(
    "test",
    [
        pytest.param(
            {"specimen_date": "2026-07-01", "result": "positive", "purpose": "monthly"},
            id="§1.7-a-positive-result-is-a-fact-to-keep",
        ),
        pytest.param(
            {
                **HOME_MONTHLY,
                "specimen_date": "2026-09-01",
                "verified_by": "RN Example",
                "verification_method": "photo",
            },
            id="§1.4-verified-home-test-after-the-change",
        ),
    ],
)
def test_facts_the_app_keeps_are_imported_and_exported_unchanged(
    nurse_ctx: Context, patient: str, test: dict[str, Any]
) -> None:
    data = with_test(test, home_pregnancy_tests_allowed=True)
    import_course(nurse_ctx, patient, json.dumps(data), "drpark")
    exported = export_course(nurse_ctx.clinic, patient)
    assert exported["pregnancy_tests"] == data["pregnancy_tests"]


def test_a_confirmation_test_too_early_to_count_is_a_fact_the_plan_flags(
    nurse_ctx: Context, patient: str
) -> None:
    """Timing is not a test's own merit: it is stored and the worklist says it does not
    count (tests/rules/test_window_test_verdicts.py)."""
    early = {"specimen_date": "2026-05-10", "result": "negative", "purpose": "confirmation"}
    data = course(
        pregnancy_tests=[COURSE["pregnancy_tests"][0], early],
        start_date="2026-05-12",
        doses=[{"from": "2026-05-12", "mg_per_day": 60}],
        fills=[],
    )
    import_course(nurse_ctx, patient, json.dumps(data), "drpark")
    assert export_course(nurse_ctx.clinic, patient)["pregnancy_tests"][1] == early


def test_a_dose_above_the_labelled_maximum_is_refused_naming_its_path(
    nurse_ctx: Context, patient: str
) -> None:
    """§2.1: generic at most 2 mg/kg/day; 130 mg/day at 60 kg is 2.17."""
    data = course(doses=[COURSE["doses"][0], {"from": "2026-07-03", "mg_per_day": 130}])
    problems = refused(nurse_ctx, patient, data)
    assert [f for f, _ in problems] == ["doses[1].mg_per_day"]
    assert "2.17 mg/kg/day" in problems[0][1]
    assert '"prescriber_override": true' in problems[0][1]


def test_an_overridden_dose_and_a_hold_go_in_and_come_back_out(
    nurse_ctx: Context, patient: str
) -> None:
    doses = [
        COURSE["doses"][0],
        {"from": "2026-07-03", "mg_per_day": 0},
        {"from": "2026-07-10", "mg_per_day": 130, "prescriber_override": True},
    ]
    import_course(nurse_ctx, patient, json.dumps(course(doses=doses)), "drpark")
    assert export_course(nurse_ctx.clinic, patient)["doses"] == doses
