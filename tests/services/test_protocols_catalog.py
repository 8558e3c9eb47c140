"""Bundled lab protocols load into rule inputs (domain.md §3.3, §3.4)."""

from datetime import date
from decimal import Decimal

import pytest

from desktop.rules.labs import (
    Analyte,
    FlagLevel,
    LabDraw,
    LabPanel,
    LabResults,
    RepeatRule,
    flag_results,
)
from desktop.services.catalog.protocols import _flag, lab_protocol_names, load_lab_protocol
from desktop.services.errors import NotFound


def test_both_shipped_protocols_are_listed() -> None:
    assert lab_protocol_names() == ("clinic-monthly", "minimal-peak")


def test_clinic_monthly() -> None:
    protocol = load_lab_protocol("clinic-monthly")
    assert protocol.baseline_days_before_start == 30
    assert protocol.panels == (LabPanel.LFT, LabPanel.LIPIDS)
    assert protocol.optional_panels == (LabPanel.CBC,)
    assert protocol.repeat is RepeatRule.MONTHLY


def test_minimal_peak() -> None:
    protocol = load_lab_protocol("minimal-peak")
    assert protocol.repeat is RepeatRule.PEAK_DOSE
    assert protocol.peak_repeat_days_after == 28
    assert protocol.optional_panels == ()


@pytest.mark.parametrize("name", ["clinic-monthly", "minimal-peak"])
@pytest.mark.parametrize(
    ("results", "analyte", "level"),
    [
        (LabResults(triglycerides_mg_dl=Decimal(150)), Analyte.TRIGLYCERIDES, FlagLevel.INFO),
        (LabResults(triglycerides_mg_dl=Decimal(500)), Analyte.TRIGLYCERIDES, FlagLevel.ALERT),
        (LabResults(triglycerides_mg_dl=Decimal(801)), Analyte.TRIGLYCERIDES, FlagLevel.URGENT),
        (LabResults(alt_u_l=Decimal(50), alt_uln_u_l=Decimal(40)), Analyte.ALT, FlagLevel.INFO),
        (LabResults(alt_u_l=Decimal(130), alt_uln_u_l=Decimal(40)), Analyte.ALT, FlagLevel.ALERT),
        (LabResults(ast_u_l=Decimal(130), ast_uln_u_l=Decimal(40)), Analyte.AST, FlagLevel.ALERT),
    ],
)
def test_shipped_thresholds_match_domain_3_4(
    name: str, results: LabResults, analyte: Analyte, level: FlagLevel
) -> None:
    protocol = load_lab_protocol(name)
    (flag,) = flag_results(LabDraw(date(2026, 2, 1), LabPanel.LIPIDS, results), protocol.flag_rules)
    assert (flag.analyte, flag.level) == (analyte, level)


def test_unknown_protocol_names_the_known_ones() -> None:
    with pytest.raises(NotFound, match="clinic-monthly, minimal-peak"):
        load_lab_protocol("weekly")


@pytest.mark.parametrize(("name", "days"), [("clinic-monthly", None), ("minimal-peak", 28)])
def test_only_minimal_peak_books_rechecks_after_an_abnormal_result(
    name: str, days: int | None
) -> None:
    """§3.3: minimal-peak repeats "only if abnormal"; clinic-monthly repeats anyway."""
    protocol = load_lab_protocol(name)
    assert protocol.abnormal_recheck_days == days
    rechecked = {(r.analyte, r.level) for r in protocol.flag_rules if r.recheck}
    assert (Analyte.TRIGLYCERIDES, FlagLevel.INFO) not in rechecked  # keep to the plan
    assert (Analyte.ALT, FlagLevel.INFO) in rechecked  # §3.4 "info: recheck"
    (normal,) = [r for r in protocol.flag_rules if r.stands_for_upper_limit]
    assert (normal.analyte, normal.threshold) == (Analyte.TRIGLYCERIDES, Decimal(150))


@pytest.mark.parametrize(
    ("flag", "words"),
    [
        pytest.param({"analyte": "hdl", "scale": "mg_dl"}, "no §3.4 threshold", id="hdl"),
        pytest.param({"recheck": "yes"}, "true or false", id="recheck-not-boolean"),
        pytest.param(
            {"analyte": "alt", "scale": "times_uln", "stands_for_upper_limit": True},
            "already relative",
            id="uln-twice",
        ),
    ],
)
def test_a_malformed_flag_names_what_is_wrong(flag: dict[str, object], words: str) -> None:
    """A packaging fault in a protocol file is caught when it loads (`ProtocolFileError`)."""
    data: dict[str, object] = {
        "analyte": "triglycerides",
        "scale": "mg_dl",
        "comparison": "above",
        "threshold": 150,
        "level": "info",
        "message": "m",
    }
    with pytest.raises((ValueError, TypeError), match=words):
        _flag(data | flag)
