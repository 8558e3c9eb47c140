"""The analyte catalogue, one draw's results with the lab's own range, what an entry cannot
hold, and flags judged against the lab's range (domain.md §3.1, §3.2, §3.4)."""

from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.lab_analytes import (
    CATALOGUE,
    PANEL_ANALYTES,
    SPECS,
    Analyte,
    AnalyteResult,
    LabDraw,
    LabPanel,
    LabResults,
    LabUnit,
    check_lab_results,
    legacy_keys_of,
    range_text,
    value_text,
)
from desktop.rules.lab_flags import OUTSIDE_RANGE_LEVEL, FlagLevel, flag_results
from tests.rules.test_labs import FLAGS

D = Decimal
A = Analyte
MG, MMOL, UL = LabUnit.MG_DL, LabUnit.MMOL_L, LabUnit.U_L
DRAWN = date(2026, 2, 1)


def test_each_panel_lists_its_analytes_with_the_usual_unit_first() -> None:
    """§3.1/§3.2: liver tests, fasting lipids, blood count as the seeds' protocol draws them."""
    usual = {panel: [SPECS[a].usual_unit for a in PANEL_ANALYTES[panel]] for panel in LabPanel}
    assert PANEL_ANALYTES == {
        LabPanel.LFT: (A.ALT, A.AST, A.ALP, A.TOTAL_BILIRUBIN),
        LabPanel.LIPIDS: (A.TOTAL_CHOLESTEROL, A.LDL, A.HDL, A.TRIGLYCERIDES),
        LabPanel.CBC: (A.WBC, A.HEMOGLOBIN, A.PLATELETS),
    }
    assert usual == {
        LabPanel.LFT: [UL, UL, UL, MG],
        LabPanel.LIPIDS: [MG, MG, MG, MG],
        LabPanel.CBC: [LabUnit.THOUSAND_PER_UL, LabUnit.G_DL, LabUnit.THOUSAND_PER_UL],
    }
    assert SPECS[A.TRIGLYCERIDES].units == (MG, MMOL)  # §3.4: either unit, as before
    assert {spec.analyte for spec in CATALOGUE} == set(Analyte)


def test_the_first_flat_keys_read_as_results_with_the_labs_upper_limit() -> None:
    flat = LabResults(
        triglycerides_mg_dl=D(412), alt_u_l=D(52), alt_uln_u_l=D(40), ast_uln_u_l=D(35)
    )
    assert flat == LabResults(
        [
            AnalyteResult(A.TRIGLYCERIDES, D(412), MG),
            AnalyteResult(A.ALT, D(52), UL, upper_limit=D(40)),
        ]
    )  # an upper limit without its value judges nothing and is not kept


def test_results_are_equal_whatever_order_they_were_typed_in() -> None:
    hdl, tg = AnalyteResult(A.HDL, D(45), MG), AnalyteResult(A.TRIGLYCERIDES, D(90), MG)
    assert LabResults([tg, hdl]) == LabResults([hdl, tg])
    assert [r.analyte for r in LabResults([tg, hdl]).values] == [A.HDL, A.TRIGLYCERIDES]
    assert LabResults([tg]).get(A.HDL) is None


@pytest.mark.parametrize(
    "twice",
    [
        pytest.param(
            {"values": [AnalyteResult(A.HDL, D(45), MG), AnalyteResult(A.HDL, D(1.2), MMOL)]},
            id="one-analyte-twice",
        ),
        pytest.param(
            {"triglycerides_mg_dl": D(150), "triglycerides_mmol_l": D("1.7")}, id="tg-two-units"
        ),
        pytest.param(
            {"values": [AnalyteResult(A.ALT, D(5), UL)], "alt_u_l": D(5)}, id="object-and-flat"
        ),
    ],
)
def test_an_analyte_is_given_once(twice: dict[str, object]) -> None:
    with pytest.raises(ValueError, match=r"triglycerides|hdl|alt"):
        LabResults(**twice)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("result", "flat"),
    [
        (AnalyteResult(A.TRIGLYCERIDES, D(140), MG), {"triglycerides_mg_dl": D(140)}),
        (AnalyteResult(A.TRIGLYCERIDES, D("1.6"), MMOL), {"triglycerides_mmol_l": D("1.6")}),
        (AnalyteResult(A.ALT, D(52), UL, None, D(40)), {"alt_u_l": D(52), "alt_uln_u_l": D(40)}),
        (AnalyteResult(A.AST, D(30), UL), {"ast_u_l": D(30)}),
        (AnalyteResult(A.ALT, D(52), UL, D(7), D(40)), None),
        (AnalyteResult(A.TRIGLYCERIDES, D(140), MG, None, D(150)), None),
        (AnalyteResult(A.HDL, D(45), MG), None),
    ],
)
def test_flat_keys_are_written_only_where_they_say_it_all(
    result: AnalyteResult, flat: dict[str, Decimal] | None
) -> None:
    assert legacy_keys_of(result) == flat
    if flat is not None:
        assert LabResults(**flat).values == (result,)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("panel", "result", "expected"),
    [
        pytest.param(LabPanel.LFT, AnalyteResult(A.ALT, D(0), UL), [], id="zero-is-a-value"),
        pytest.param(
            LabPanel.LFT, AnalyteResult(A.ALT, D(5), UL, D(0), D(40)), [], id="lower-limit-zero"
        ),
        pytest.param(
            LabPanel.LFT,
            AnalyteResult(A.ALT, D(-5), UL),
            [("alt", "cannot be negative")],
            id="negative-value",
        ),
        pytest.param(
            LabPanel.CBC,
            AnalyteResult(A.HEMOGLOBIN, D(13), LabUnit.G_DL, D(-1), D(15)),
            [("hemoglobin.lower_limit", "cannot be negative")],
            id="negative-limit",
        ),
        pytest.param(
            LabPanel.LFT,
            AnalyteResult(A.ALT, D(5), UL, None, D(0)),
            [("alt.upper_limit", "more than 0")],
            id="upper-limit-zero",
        ),
        pytest.param(
            LabPanel.LIPIDS,
            AnalyteResult(A.HDL, D(45), MG, D(60), D(40)),
            [("hdl.lower_limit", "above the upper limit")],
            id="range-upside-down",
        ),
        pytest.param(
            LabPanel.LIPIDS,
            AnalyteResult(A.ALT, D(30), UL),
            [("alt", "liver function tests")],
            id="analyte-of-another-panel",
        ),
        pytest.param(
            LabPanel.LIPIDS,
            AnalyteResult(A.TRIGLYCERIDES, D(30), UL),
            [("triglycerides", "mg/dL, mmol/L")],
            id="unit-not-listed",
        ),
    ],
)
def test_what_an_entry_cannot_hold_names_the_field(
    panel: LabPanel, result: AnalyteResult, expected: list[tuple[str, str]]
) -> None:
    found = check_lab_results(panel, LabResults([result]))
    assert len(found) == len(expected)
    for problem, (field, words) in zip(found, expected, strict=True):
        assert problem.field == field
        assert words in problem.message


def test_values_and_ranges_are_shown_as_typed() -> None:
    assert value_text(AnalyteResult(A.TRIGLYCERIDES, D("182.000"), MG)) == "182.000 mg/dL"
    assert value_text(AnalyteResult(A.TRIGLYCERIDES, D("9.2"), MMOL)) == (
        "9.2 mmol/L (≈ 815 mg/dL)"
    )
    assert value_text(AnalyteResult(A.WBC, D("6.1"), LabUnit.THOUSAND_PER_UL)) == "6.1 × 10³/µL"
    assert value_text(AnalyteResult(A.ALT, D("1E-31"), UL)).startswith("0.000000000")
    ranges = [
        AnalyteResult(A.ALT, D(1), UL, D(7), D(40)),
        AnalyteResult(A.ALT, D(1), UL, None, D(40)),
        AnalyteResult(A.HDL, D(1), MG, D(40)),
        AnalyteResult(A.HDL, D(1), MG),
    ]
    assert [range_text(r) for r in ranges] == ["7–40", "≤ 40", "≥ 40", ""]


def _levels(*results: AnalyteResult) -> dict[Analyte, FlagLevel]:
    draw = LabDraw(DRAWN, LabPanel.LIPIDS, LabResults(results))
    return {f.analyte: f.level for f in flag_results(draw, FLAGS)}


INFO, ALERT, URGENT = FlagLevel.INFO, FlagLevel.ALERT, FlagLevel.URGENT


@pytest.mark.parametrize(
    ("result", "level"),
    [
        pytest.param(AnalyteResult(A.TRIGLYCERIDES, D(160), MG, None, D(200)), None,
                     id="§3.4-TG-160-under-the-labs-200-is-not-above-normal"),
        pytest.param(AnalyteResult(A.TRIGLYCERIDES, D(140), MG, None, D(130)), INFO,
                     id="§3.4-TG-140-over-the-labs-130"),
        pytest.param(AnalyteResult(A.TRIGLYCERIDES, D(130), MG, None, D(130)), None,
                     id="§3.4-TG-at-the-labs-limit"),
        pytest.param(AnalyteResult(A.TRIGLYCERIDES, D("1.8"), MMOL, None, D("1.7")), INFO,
                     id="§3.4-TG-mmol-over-the-labs-limit"),
        pytest.param(AnalyteResult(A.TRIGLYCERIDES, D(600), MG, None, D(700)), ALERT,
                     id="§3.4-TG-500-alert-stays-absolute"),
        pytest.param(AnalyteResult(A.TRIGLYCERIDES, D(900), MG, D(0), D(150)), URGENT,
                     id="§3.4-TG-over-800-urgent-with-a-range"),
        pytest.param(AnalyteResult(A.ALT, D(5), UL, D(7), D(40)), None,
                     id="§3.4-ALT-below-the-range-is-no-threshold"),
        pytest.param(AnalyteResult(A.ALT, D(70), UL, D(7), D(40)), INFO,
                     id="§3.4-ALT-1.75xULN-info"),
        pytest.param(AnalyteResult(A.AST, D(106), UL, D(10), D(35)), ALERT,
                     id="§3.4-AST-over-3xULN-alert"),
    ],
)  # fmt: skip
def test_thresholds_follow_the_labs_own_upper_limit(
    result: AnalyteResult, level: FlagLevel | None
) -> None:
    assert _levels(result).get(result.analyte) == level


@pytest.mark.parametrize(
    ("result", "flagged"),
    [
        pytest.param(AnalyteResult(A.HDL, D(32), MG, D(40), D(60)), True, id="HDL-below"),
        pytest.param(AnalyteResult(A.HDL, D(40), MG, D(40), D(60)), False, id="HDL-at-lower"),
        pytest.param(AnalyteResult(A.LDL, D(131), MG, None, D(130)), True, id="LDL-above"),
        pytest.param(AnalyteResult(A.TOTAL_CHOLESTEROL, D(5), MMOL, None, D("5.2")), False,
                     id="cholesterol-mmol-inside"),
        pytest.param(AnalyteResult(A.HEMOGLOBIN, D("11.9"), LabUnit.G_DL, D(12), D("15.5")),
                     True, id="haemoglobin-below"),
        pytest.param(AnalyteResult(A.PLATELETS, D(450), LabUnit.THOUSAND_PER_UL, D(150),
                                   D(450)), False, id="platelets-at-upper"),
        pytest.param(AnalyteResult(A.PLATELETS, D(451), LabUnit.THOUSAND_PER_UL, D(150),
                                   D(450)), True, id="platelets-above"),
        pytest.param(AnalyteResult(A.WBC, D("2.1"), LabUnit.GIGA_PER_L, D(4), D(11)), True,
                     id="wbc-below"),
        pytest.param(AnalyteResult(A.ALP, D(130), UL, None, D(129)), True, id="ALP-above"),
        pytest.param(AnalyteResult(A.TOTAL_BILIRUBIN, D(30), LabUnit.UMOL_L, None, D(21)),
                     True, id="bilirubin-umol-above"),
        pytest.param(AnalyteResult(A.HDL, D(20), MG), False, id="no-range-no-built-in-normal"),
        pytest.param(AnalyteResult(A.HEMOGLOBIN, D(25), LabUnit.G_DL), False,
                     id="no-range-however-high"),
    ],
)  # fmt: skip
def test_analytes_without_a_threshold_are_judged_by_the_labs_range_alone(
    result: AnalyteResult, flagged: bool
) -> None:
    """Clinic policy [P] (`OUTSIDE_RANGE_LEVEL`): info, never against a built-in normal."""
    draw = LabDraw(DRAWN, SPECS[result.analyte].panel, LabResults([result]))
    flags = flag_results(draw, FLAGS)
    assert [f.level for f in flags] == ([OUTSIDE_RANGE_LEVEL] if flagged else [])
    if flagged:
        assert "outside the lab's reference range" in flags[0].message
        assert range_text(result) in flags[0].message


def test_an_outside_range_flag_says_what_and_which_range() -> None:
    result = AnalyteResult(A.HDL, D(32), MG, D(40), D(60))
    (flag,) = flag_results(LabDraw(DRAWN, LabPanel.LIPIDS, LabResults([result])), FLAGS)
    assert flag.message == (
        "HDL cholesterol 32 mg/dL is outside the lab's reference range (40–60 mg/dL): for the "
        "prescriber's review (clinic policy)."
    )
    assert flag.level is FlagLevel.INFO
    assert not flag.recheck


def test_a_full_panel_raises_one_flag_per_analyte_at_its_highest_level() -> None:
    lipids = [
        AnalyteResult(A.TOTAL_CHOLESTEROL, D(250), MG, None, D(200)),
        AnalyteResult(A.LDL, D(120), MG, None, D(130)),
        AnalyteResult(A.HDL, D(35), MG, D(40)),
        AnalyteResult(A.TRIGLYCERIDES, D(900), MG, None, D(150)),
    ]
    assert _levels(*lipids) == {A.TOTAL_CHOLESTEROL: INFO, A.HDL: INFO, A.TRIGLYCERIDES: URGENT}
