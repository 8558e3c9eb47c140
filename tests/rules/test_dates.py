"""Plausible dates: 1900-01-01 to 2099-12-31, the range the date inputs accept."""

import json
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from desktop.rules.course_description import InvalidCourseDescription, parse_course_description
from desktop.rules.dates import IMPLAUSIBLE_YEAR, implausible_dates, plausible_date
from desktop.rules.problems import Problem

EXAMPLES = Path(__file__).resolve().parents[2] / "resources" / "examples"


@pytest.mark.parametrize(
    ("day", "is_plausible"),
    [
        (None, True),
        (date(1900, 1, 1), True),
        (date(2026, 11, 20), True),
        (date(2099, 12, 31), True),
        (date(1899, 12, 31), False),
        (date(2100, 1, 1), False),
        (date(1, 1, 1), False),
        (date(9999, 12, 31), False),
    ],
)
def test_a_date_is_plausible_from_1900_to_2099(day: date | None, is_plausible: bool) -> None:
    expected = None if is_plausible else Problem("seen_on", IMPLAUSIBLE_YEAR)
    assert plausible_date("seen_on", day) == expected


def test_each_field_with_an_implausible_date_gets_one_problem_naming_it() -> None:
    problems = implausible_dates(
        {
            "seen_on": date(2026, 11, 20),
            "next_visit_on": date(2100, 1, 1),
            "ordered_on": None,
            "missed_days": (date(2026, 11, 1), date(1899, 12, 31), date(1850, 1, 1)),
        }
    )
    assert problems == (
        Problem("next_visit_on", IMPLAUSIBLE_YEAR),
        Problem("missed_days", IMPLAUSIBLE_YEAR),
    )
    assert IMPLAUSIBLE_YEAR == "Check the year: type a date from 1900 to 2099."


@pytest.mark.parametrize("day", ["1899-12-31", "2100-01-01"])
def test_a_course_description_with_an_implausible_date_is_refused_naming_its_path(
    day: str,
) -> None:
    """`isotrack plan` and `isotrack course import` read every date through this reader."""
    text = (EXAMPLES / "first-course-can-get-pregnant.json").read_text(encoding="utf-8")
    data = json.loads(text, parse_float=Decimal)
    data["fills"] = [{"date": day, "days_supply": 30}]
    with pytest.raises(InvalidCourseDescription) as refused:
        parse_course_description(data)
    assert Problem("fills[0].date", IMPLAUSIBLE_YEAR) in refused.value.problems


def test_the_example_course_descriptions_still_read() -> None:
    for example in sorted(EXAMPLES.glob("*.json")):
        text = example.read_text(encoding="utf-8")
        assert parse_course_description(json.loads(text, parse_float=Decimal))
