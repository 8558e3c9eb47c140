"""Planning service: JSON text in, the isotrack.plan/1 document out; errors name the key."""

import json
from datetime import date

import pytest

from desktop.rules.problems import Problem
from desktop.services.catalog import read_text
from desktop.services.errors import InputError
from desktop.services.planning import PLAN_SCHEMA, plan_from_json_text, problems_text

DESIGN_KEYS = {
    "as_of",
    "rule_set",
    "cumulative_mg",
    "cumulative_mg_per_kg",
    "target_mg_per_kg",
    "remaining_mg",
    "days_to_target",
    "projected_last_dose_date",
    "fill_window",
    "first_course",
    "next_confirmation_test_not_before",
    "labs_due",
    "post_course",
    "due",
}


def example(name: str) -> str:
    return read_text("examples", name)


def test_finished_course_example() -> None:
    """11490 mg ÷ 75 kg = 153.20 mg/kg; post-course dates from 2026-02-26 (§1.7, §8 M1)."""
    plan = plan_from_json_text(example("finished-course.json"), on=date(2026, 3, 20))
    assert plan["schema"] == PLAN_SCHEMA
    assert set(plan) >= DESIGN_KEYS
    assert (plan["cumulative_mg"], plan["cumulative_mg_per_kg"]) == (11490, 153.2)
    assert plan["projected_last_dose_date"] == "2026-02-26"
    assert plan["post_course"] == {
        "pregnancy_test_due": "2026-03-26",
        "contraception_until": "2026-03-26",
        "no_blood_donation_until": "2026-03-26",
        "no_cosmetic_procedures_until": "2026-08-26",
        "earliest_next_course": "2026-04-26",
        "end_of_course_pregnancy_test_due": "2026-02-26",
        "no_breastfeeding_until": "2026-03-26",
    }
    assert [(d["kind"], d["due_date"], d["status"]) for d in plan["due"]] == [
        ("post_course_pregnancy_test", "2026-03-26", "upcoming")
    ]
    json.dumps(plan)  # every value is JSON


def test_escalating_example_follows_the_change_date_setting() -> None:
    text = example("escalating-with-missed-days.json")
    after = plan_from_json_text(text, on=date(2026, 8, 31))
    assert after["rule_set"] == "ipledge-2026-modification"
    assert (after["cumulative_mg"], after["cumulative_mg_per_kg"]) == (7540, 96.51)
    assert "counseling_confirmation" not in {d["kind"] for d in after["due"]}
    postponed = plan_from_json_text(
        text, on=date(2026, 8, 31), ipledge_modification_effective_on=date(2026, 12, 1)
    )
    assert postponed["rule_set"] == "ipledge-2021-12-13"
    assert "counseling_confirmation" in {d["kind"] for d in postponed["due"]}


def test_invalid_json_names_line_and_column() -> None:
    with pytest.raises(InputError, match=r"not valid JSON \(line 1, column 2\)"):
        plan_from_json_text("{patient: 1}", on=date(2026, 1, 1))


def test_unknown_key_is_named_by_its_path() -> None:
    data = json.loads(example("first-course-can-get-pregnant.json"))
    data["doses"][0]["mg_perday"] = data["doses"][0].pop("mg_per_day")
    with pytest.raises(InputError) as caught:
        plan_from_json_text(json.dumps(data), on=date(2026, 2, 24))
    message = caught.value.user_message()
    assert "doses[0].mg_perday: Unknown key" in message
    assert "doses[0].mg_per_day: This key is required" in message


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        pytest.param(
            "product", "accutane", "product: unknown product 'accutane'", id="unknown-product"
        ),
        pytest.param(
            "lab_protocol",
            "weekly",
            "lab_protocol: There is no lab protocol",
            id="unknown-protocol",
        ),
    ],
)
def test_unknown_catalog_names(key: str, value: str, words: str) -> None:
    data = json.loads(example("first-course-can-get-pregnant.json"))
    data[key] = value
    with pytest.raises(InputError, match=words):
        plan_from_json_text(json.dumps(data), on=date(2026, 2, 24))


def test_problems_text_lists_each_field() -> None:
    one = (Problem("start_date", "Bad."),)
    assert problems_text(one) == "The course description has a problem: start_date: Bad."
    two = (*one, Problem("doses[0].from", "Worse."))
    assert problems_text(two).splitlines() == [
        "The course description has 2 problems:",
        "  start_date: Bad.",
        "  doses[0].from: Worse.",
    ]
