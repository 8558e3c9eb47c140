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
from desktop.services.catalog.protocols import lab_protocol_names, load_lab_protocol
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
