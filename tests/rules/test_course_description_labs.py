"""`labs[].results` of a course description: the first flat keys still read and written, every
analyte of the catalogue with its unit and the lab's range, problems named by path."""

import copy
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.rules.course_description import InvalidCourseDescription, parse_course_description
from desktop.rules.course_description_export import course_description_to_dict
from desktop.rules.lab_analytes import (
    PANEL_ANALYTES,
    SPECS,
    Analyte,
    AnalyteResult,
    LabPanel,
    LabUnit,
)
from tests.rules.test_course_description import DESIGN_EXAMPLE

D = Decimal
A = Analyte


def with_labs(*labs: dict[str, Any]) -> dict[str, Any]:
    data = copy.deepcopy(DESIGN_EXAMPLE)
    data["labs"] = list(labs)
    return data


def round_trip(data: dict[str, Any]) -> dict[str, Any]:
    course = parse_course_description(data)
    exported = course_description_to_dict(course)
    again = json.loads(json.dumps(exported), parse_float=Decimal)
    assert parse_course_description(again) == course
    return exported


FULL_LIPIDS = {
    "date": "2025-12-28",
    "panel": "lipids",
    "results": {
        "total_cholesterol": {"value": 5.2, "unit": "mmol/L", "upper_limit": 5.2},
        "ldl": {"value": 110, "unit": "mg/dL", "lower_limit": 0, "upper_limit": 130},
        "hdl": {"value": 38, "unit": "mg/dL", "lower_limit": 40},
        "triglycerides": {"value": 140, "unit": "mg/dL", "upper_limit": 150},
    },
}


def test_a_full_panel_with_the_labs_ranges_is_read_and_written_back() -> None:
    course = parse_course_description(with_labs(FULL_LIPIDS))
    assert course.labs[0].results.values == (
        AnalyteResult(A.TOTAL_CHOLESTEROL, D("5.2"), LabUnit.MMOL_L, None, D("5.2")),
        AnalyteResult(A.LDL, D(110), LabUnit.MG_DL, D(0), D(130)),
        AnalyteResult(A.HDL, D(38), LabUnit.MG_DL, D(40)),
        AnalyteResult(A.TRIGLYCERIDES, D(140), LabUnit.MG_DL, None, D(150)),
    )
    assert round_trip(with_labs(FULL_LIPIDS))["labs"] == [FULL_LIPIDS]


@pytest.mark.parametrize(
    "results",
    [
        {"triglycerides_mg_dl": 140},
        {"triglycerides_mmol_l": 1.6},
        {"alt_u_l": 22, "alt_uln_u_l": 40, "ast_u_l": 19},
    ],
)
def test_the_first_flat_keys_are_written_back_as_they_came(results: dict[str, Any]) -> None:
    panel = "lft" if "alt_u_l" in results else "lipids"
    lab = {"date": "2025-12-28", "panel": panel, "results": results}
    assert round_trip(with_labs(lab))["labs"] == [lab]


@pytest.mark.parametrize(
    ("panel", "results", "path", "words"),
    [
        pytest.param("lipids", {"hdl": 38}, "labs[0].results.hdl", "Expected an object",
                     id="bare-number-for-an-analyte"),
        pytest.param("lipids", {"hdl": {"value": 38}}, "labs[0].results.hdl.unit",
                     "required", id="unit-required"),
        pytest.param("lipids", {"hdl": {"value": 38, "unit": "mg/dl"}},
                     "labs[0].results.hdl.unit", "Unknown value", id="unit-spelling"),
        pytest.param("lipids", {"hdl": {"value": 38, "unit": "U/L"}}, "labs[0].results.hdl",
                     "mg/dL, mmol/L", id="unit-not-for-this-analyte"),
        pytest.param("lipids", {"hdl": {"value": -1, "unit": "mg/dL"}},
                     "labs[0].results.hdl.value", "negative", id="negative-value"),
        pytest.param("lipids", {"hdl": {"value": 38, "unit": "mg/dL", "upper_limit": 0}},
                     "labs[0].results.hdl.upper_limit", "more than zero", id="upper-limit-0"),
        pytest.param("lipids", {"hdl": {"value": 38, "unit": "mg/dL", "lower_limit": 60,
                                        "upper_limit": 40}},
                     "labs[0].results.hdl.lower_limit", "above the upper limit",
                     id="range-upside-down"),
        pytest.param("lipids", {"hdl": {"value": 38, "unit": "mg/dL", "low": 40}},
                     "labs[0].results.hdl.low", "Unknown key", id="unknown-key-in-a-value"),
        pytest.param("lipids", {"wbc": {"value": 6, "unit": "10^3/uL"}},
                     "labs[0].results.wbc", "complete blood count", id="analyte-of-another-panel"),
        pytest.param("lipids", {"triglycerides_mg_dl": 140, "triglycerides":
                                {"value": 140, "unit": "mg/dL"}},
                     "labs[0].results", "once", id="analyte-twice"),
        pytest.param("lipids", {"triglycerides_mg_dl": -1}, "labs[0].results.triglycerides_mg_dl",
                     "negative", id="flat-value-negative"),
        pytest.param("lft", {"alt_u_l": 0, "alt_uln_u_l": 0}, "labs[0].results.alt_uln_u_l",
                     "more than zero", id="flat-upper-limit-0"),
    ],
)  # fmt: skip
def test_problems_name_the_path(panel: str, results: object, path: str, words: str) -> None:
    data = with_labs({"date": "2025-12-28", "panel": panel, "results": results})
    with pytest.raises(InvalidCourseDescription) as caught:
        parse_course_description(data)
    found = [(p.field, p.message) for p in caught.value.problems]
    assert any(f == path and words in m for f, m in found), found


LIMIT = st.none() | st.decimals(min_value=D(1), max_value=D(500), places=2)


@settings(max_examples=60)
@given(
    panel=st.sampled_from(list(LabPanel)),
    data=st.data(),
)
def test_any_panel_round_trips(panel: LabPanel, data: st.DataObject) -> None:
    results = {}
    for analyte in PANEL_ANALYTES[panel]:
        if not data.draw(st.booleans()):
            continue
        spec = SPECS[analyte]
        entry: dict[str, Any] = {
            "value": data.draw(st.decimals(min_value=D(0), max_value=D(900), places=3)),
            "unit": data.draw(st.sampled_from(spec.units)).value,
        }
        high = data.draw(LIMIT)
        if high is not None:
            entry["upper_limit"] = high
            entry["lower_limit"] = data.draw(
                st.none() | st.decimals(min_value=D(0), max_value=high, places=2)
            )
            if entry["lower_limit"] is None:
                del entry["lower_limit"]
        results[analyte.value] = entry
    round_trip(with_labs({"date": "2025-12-28", "panel": panel.value, "results": results}))
