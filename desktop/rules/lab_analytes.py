"""Lab panels and their analytes (domain.md §3.1, §3.2): the catalogue of what each panel
reports and in which units, and one result as the lab reported it, with its own reference
range (§3.4: "always store the lab's own reference range/ULN with each result")."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import TypeVar

from desktop.rules.problems import Problem

TG_MMOL_L_PER_MG_DL = Decimal("0.01129")
"""Triglycerides: mg/dL × 0.01129 = mmol/L (domain.md §3.4)."""


class LabPanel(StrEnum):
    LFT = "lft"
    LIPIDS = "lipids"
    """Fasting lipid profile including triglycerides (domain.md §3.1)."""
    CBC = "cbc"


PANEL_LABELS = {
    LabPanel.LFT: "liver function tests",
    LabPanel.LIPIDS: "fasting lipid profile (no alcohol for 36 hours before)",
    LabPanel.CBC: "complete blood count",
}
"""Fasting and the 36-hour alcohol rule: domain.md §3.1."""


class Analyte(StrEnum):
    """Stored names (the keys of a lab row's results and of a course description's
    `labs[].results`)."""

    ALT = "alt"
    AST = "ast"
    ALP = "alp"
    TOTAL_BILIRUBIN = "total_bilirubin"
    TOTAL_CHOLESTEROL = "total_cholesterol"
    LDL = "ldl"
    HDL = "hdl"
    TRIGLYCERIDES = "triglycerides"
    WBC = "wbc"
    HEMOGLOBIN = "hemoglobin"
    PLATELETS = "platelets"


class LabUnit(StrEnum):
    """Stored in ASCII; `UNIT_LABELS` gives the spelling shown and printed."""

    MG_DL = "mg/dL"
    MMOL_L = "mmol/L"
    U_L = "U/L"
    UMOL_L = "umol/L"
    G_DL = "g/dL"
    G_L = "g/L"
    THOUSAND_PER_UL = "10^3/uL"
    GIGA_PER_L = "10^9/L"


UNIT_LABELS = {
    LabUnit.MG_DL: "mg/dL",
    LabUnit.MMOL_L: "mmol/L",
    LabUnit.U_L: "U/L",
    LabUnit.UMOL_L: "µmol/L",
    LabUnit.G_DL: "g/dL",
    LabUnit.G_L: "g/L",
    LabUnit.THOUSAND_PER_UL: "× 10³/µL",
    LabUnit.GIGA_PER_L: "× 10⁹/L",
}


@dataclass(frozen=True, slots=True)
class AnalyteSpec:
    """One analyte of a panel: its name as shown, and the units a US lab report uses, the
    usual one first."""

    analyte: Analyte
    panel: LabPanel
    name: str
    units: tuple[LabUnit, ...]

    @property
    def usual_unit(self) -> LabUnit:
        return self.units[0]


_MASS_OR_MOLAR = (LabUnit.MG_DL, LabUnit.MMOL_L)
_COUNT = (LabUnit.THOUSAND_PER_UL, LabUnit.GIGA_PER_L)
CATALOGUE = (
    AnalyteSpec(Analyte.ALT, LabPanel.LFT, "ALT", (LabUnit.U_L,)),
    AnalyteSpec(Analyte.AST, LabPanel.LFT, "AST", (LabUnit.U_L,)),
    AnalyteSpec(Analyte.ALP, LabPanel.LFT, "ALP", (LabUnit.U_L,)),
    AnalyteSpec(
        Analyte.TOTAL_BILIRUBIN, LabPanel.LFT, "Total bilirubin", (LabUnit.MG_DL, LabUnit.UMOL_L)
    ),
    AnalyteSpec(Analyte.TOTAL_CHOLESTEROL, LabPanel.LIPIDS, "Total cholesterol", _MASS_OR_MOLAR),
    AnalyteSpec(Analyte.LDL, LabPanel.LIPIDS, "LDL cholesterol", _MASS_OR_MOLAR),
    AnalyteSpec(Analyte.HDL, LabPanel.LIPIDS, "HDL cholesterol", _MASS_OR_MOLAR),
    AnalyteSpec(Analyte.TRIGLYCERIDES, LabPanel.LIPIDS, "Triglycerides", _MASS_OR_MOLAR),
    AnalyteSpec(Analyte.WBC, LabPanel.CBC, "White cells (WBC)", _COUNT),
    AnalyteSpec(Analyte.HEMOGLOBIN, LabPanel.CBC, "Haemoglobin", (LabUnit.G_DL, LabUnit.G_L)),
    AnalyteSpec(Analyte.PLATELETS, LabPanel.CBC, "Platelets", _COUNT),
)
"""LFT, fasting lipids and CBC as the seeds' monthly monitoring draws them (§3.2, §3.3)."""
SPECS = {spec.analyte: spec for spec in CATALOGUE}
PANEL_ANALYTES = {
    panel: tuple(spec.analyte for spec in CATALOGUE if spec.panel is panel) for panel in LabPanel
}
_ORDER = {spec.analyte: index for index, spec in enumerate(CATALOGUE)}


@dataclass(frozen=True, slots=True)
class AnalyteResult:
    """One value as the lab reported it: the number as typed, its unit, and the lab's own
    reference range in the same unit (either limit may be missing from the report)."""

    analyte: Analyte
    value: Decimal
    unit: LabUnit
    lower_limit: Decimal | None = None
    upper_limit: Decimal | None = None


_Number = TypeVar("_Number")


def result_fields(
    result: AnalyteResult, number: Callable[[Decimal], _Number]
) -> dict[str, _Number | str]:
    """`{"value", "unit", "lower_limit", "upper_limit"}` with the numbers written by `number`;
    a limit the lab did not give is left out. The shape of a stored lab row and of a course
    description's result alike."""
    fields: dict[str, _Number | str] = {"value": number(result.value), "unit": result.unit.value}
    for key, limit in (("lower_limit", result.lower_limit), ("upper_limit", result.upper_limit)):
        if limit is not None:
            fields[key] = number(limit)
    return fields


LEGACY_KEYS: Mapping[str, tuple[Analyte, LabUnit, str]] = {
    "triglycerides_mg_dl": (Analyte.TRIGLYCERIDES, LabUnit.MG_DL, "value"),
    "triglycerides_mmol_l": (Analyte.TRIGLYCERIDES, LabUnit.MMOL_L, "value"),
    "alt_u_l": (Analyte.ALT, LabUnit.U_L, "value"),
    "alt_uln_u_l": (Analyte.ALT, LabUnit.U_L, "upper_limit"),
    "ast_u_l": (Analyte.AST, LabUnit.U_L, "value"),
    "ast_uln_u_l": (Analyte.AST, LabUnit.U_L, "upper_limit"),
}
"""The first flat keys (lab rows stored before the catalogue, DESIGN.md's course description
`"triglycerides_mg_dl": 140`): still read, and still written where they say it all."""


class LabResults:
    """The values of one draw, at most one per analyte, in catalogue order (so two entries of
    the same values are equal whatever order they were typed in). The keyword arguments are
    the first flat keys (`LEGACY_KEYS`); an upper limit without its value is dropped, since
    there is nothing for it to judge."""

    __slots__ = ("values",)
    values: tuple[AnalyteResult, ...]

    def __init__(
        self,
        values: Iterable[AnalyteResult] = (),
        *,
        triglycerides_mg_dl: Decimal | None = None,
        triglycerides_mmol_l: Decimal | None = None,
        alt_u_l: Decimal | None = None,
        alt_uln_u_l: Decimal | None = None,
        ast_u_l: Decimal | None = None,
        ast_uln_u_l: Decimal | None = None,
    ) -> None:
        flat = {
            "triglycerides_mg_dl": triglycerides_mg_dl,
            "triglycerides_mmol_l": triglycerides_mmol_l,
            "alt_u_l": alt_u_l,
            "alt_uln_u_l": alt_uln_u_l,
            "ast_u_l": ast_u_l,
            "ast_uln_u_l": ast_uln_u_l,
        }
        found = list(values)
        if any(number is not None for number in flat.values()):
            found += from_legacy_keys(flat)
        seen = [r.analyte for r in found]
        if len(set(seen)) < len(seen):
            twice = sorted({a for a in seen if seen.count(a) > 1})
            raise ValueError(f"more than one result for {', '.join(twice)}")
        object.__setattr__(self, "values", tuple(sorted(found, key=lambda r: _ORDER[r.analyte])))

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("LabResults is immutable")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, LabResults) and self.values == other.values

    def __hash__(self) -> int:
        return hash(self.values)

    def __repr__(self) -> str:
        return f"LabResults({list(self.values)!r})"

    def __bool__(self) -> bool:
        return bool(self.values)

    def get(self, analyte: Analyte) -> AnalyteResult | None:
        return next((r for r in self.values if r.analyte is analyte), None)


def from_legacy_keys(flat: Mapping[str, Decimal | None]) -> list[AnalyteResult]:
    """Results from the first flat keys; unknown keys are the caller's business."""
    values: dict[Analyte, tuple[Decimal, LabUnit]] = {}
    upper_limits: dict[Analyte, Decimal] = {}
    for key, number in flat.items():
        if number is None or key not in LEGACY_KEYS:
            continue
        analyte, unit, role = LEGACY_KEYS[key]
        if role == "upper_limit":
            upper_limits[analyte] = number
        elif analyte in values:
            raise ValueError(f"{analyte} is given in two units")
        else:
            values[analyte] = (number, unit)
    return [
        AnalyteResult(analyte, value, unit, upper_limit=upper_limits.get(analyte))
        for analyte, (value, unit) in values.items()
    ]


_LEGACY_VALUE_KEYS = {(a, u): k for k, (a, u, role) in LEGACY_KEYS.items() if role == "value"}
_LEGACY_LIMIT_KEYS = {a: k for k, (a, _, role) in LEGACY_KEYS.items() if role == "upper_limit"}


def legacy_keys_of(result: AnalyteResult) -> dict[str, Decimal] | None:
    """The flat keys saying exactly this result, or None when they cannot (another analyte,
    a lower limit, a triglyceride upper limit)."""
    key = _LEGACY_VALUE_KEYS.get((result.analyte, result.unit))
    if key is None or result.lower_limit is not None:
        return None
    if result.upper_limit is None:
        return {key: result.value}
    limit_key = _LEGACY_LIMIT_KEYS.get(result.analyte)
    return None if limit_key is None else {key: result.value, limit_key: result.upper_limit}


@dataclass(frozen=True, slots=True)
class LabDraw:
    drawn_on: date
    panel: LabPanel
    results: LabResults = field(default_factory=LabResults)


def tg_mg_dl_to_mmol_l(mg_dl: Decimal) -> Decimal:
    return mg_dl * TG_MMOL_L_PER_MG_DL


def tg_mmol_l_to_mg_dl(mmol_l: Decimal) -> Decimal:
    return mmol_l / TG_MMOL_L_PER_MG_DL


def value_field(analyte: Analyte) -> str:
    """Problem field names: the value is the analyte's own name, its limits "alt.upper_limit"
    (a course description's path under `results`)."""
    return analyte.value


def limit_field(analyte: Analyte, limit: str) -> str:
    return f"{analyte.value}.{limit}"


def check_lab_results(panel: LabPanel, results: LabResults) -> tuple[Problem, ...]:
    """What a lab entry cannot hold: an analyte of another panel, a unit the catalogue does
    not list for it, a negative number, an upper limit of 0 (nothing can be judged by it) or a
    range upside down. A value of 0 is a value."""
    problems: list[Problem] = []
    for result in results.values:
        spec = SPECS[result.analyte]
        where = value_field(result.analyte)
        if spec.panel is not panel:
            problems.append(
                Problem(where, f"{spec.name} belongs to the {PANEL_LABELS[spec.panel]}.")
            )
        if result.unit not in spec.units:
            units = ", ".join(UNIT_LABELS[u] for u in spec.units)
            problems.append(Problem(where, f"{spec.name} is reported in {units}."))
        problems += _number_problems(result)
    return tuple(problems)


def _number_problems(result: AnalyteResult) -> list[Problem]:
    analyte, low, high = result.analyte, result.lower_limit, result.upper_limit
    problems = []
    if result.value < 0:
        problems.append(Problem(value_field(analyte), "A lab value cannot be negative."))
    for limit, number in (("lower_limit", low), ("upper_limit", high)):
        if number is not None and number < 0:
            problems.append(Problem(limit_field(analyte, limit), "A limit cannot be negative."))
    if high is not None and high == 0:
        message = "The upper limit of the lab's range must be more than 0."
        problems.append(Problem(limit_field(analyte, "upper_limit"), message))
    if low is not None and high is not None and low > high > 0:
        message = "The lower limit is above the upper limit: check the lab's range."
        problems.append(Problem(limit_field(analyte, "lower_limit"), message))
    return problems


def number_text(value: Decimal) -> str:
    """The digits as typed: "182.000" stays so, nothing is rounded or put in exponent form."""
    return format(value, "f")


def value_text(result: AnalyteResult) -> str:
    """ "52 U/L"; triglycerides in mmol/L with their mg/dL equivalent, the unit of §3.4."""
    text = f"{number_text(result.value)} {UNIT_LABELS[result.unit]}"
    if result.analyte is Analyte.TRIGLYCERIDES and result.unit is LabUnit.MMOL_L:
        # format() rounds without the context's 28 digits, so a 60-digit typo still shows.
        text += f" (≈ {tg_mmol_l_to_mg_dl(result.value):.0f} mg/dL)"
    return text


def range_text(result: AnalyteResult) -> str:
    """The lab's range as reported: "7–40", "≤ 40", "≥ 40"; empty when none was given."""
    low, high = result.lower_limit, result.upper_limit
    if low is not None and high is not None:
        return f"{number_text(low)}–{number_text(high)}"
    if high is not None:
        return f"≤ {number_text(high)}"
    if low is not None:
        return f"≥ {number_text(low)}"
    return ""
