"""Lab protocols bundled in resources/protocols/labs/*.toml, parsed into rule inputs."""

import tomllib
from decimal import Decimal
from functools import cache
from typing import Any

from desktop.rules.labs import (
    Analyte,
    Comparison,
    FlagLevel,
    FlagRule,
    LabPanel,
    LabProtocol,
    RepeatRule,
    ThresholdScale,
)
from desktop.services.catalog import read_text, resource
from desktop.services.errors import NotFound

PROTOCOL_FOLDER = ("protocols", "labs")
_PROTOCOL_KEYS = frozenset(
    {
        "name",
        "title",
        "baseline_days_before_start",
        "panels",
        "optional_panels",
        "repeat",
        "peak_repeat_days_after",
        "abnormal_recheck_days",
        "flags",
    }
)
_FLAG_KEYS = frozenset(
    {
        "analyte",
        "scale",
        "comparison",
        "threshold",
        "level",
        "message",
        "stands_for_upper_limit",
        "recheck",
    }
)
_SCALE_OF = {
    Analyte.TRIGLYCERIDES: ThresholdScale.MG_DL,
    Analyte.ALT: ThresholdScale.TIMES_ULN,
    Analyte.AST: ThresholdScale.TIMES_ULN,
}
"""Triglycerides in mg/dL; liver enzymes relative to the lab's ULN (domain.md §3.4). Other
analytes have no §3.4 threshold: the lab's own range judges them (rules.lab_flags)."""


class ProtocolFileError(ValueError):
    """A bundled protocol file is malformed: a packaging fault, not a user error."""


def lab_protocol_names() -> tuple[str, ...]:
    """Names a course may use in `lab_protocol`, sorted."""
    folder = resource(*PROTOCOL_FOLDER)
    return tuple(sorted(e.name.removesuffix(".toml") for e in folder.iterdir() if _is_toml(e.name)))


@cache
def load_lab_protocol(name: str) -> LabProtocol:
    """The protocol `name`; NotFound lists the known names."""
    if name not in lab_protocol_names():
        known = ", ".join(lab_protocol_names())
        raise NotFound(f"There is no lab protocol named {name!r}. Known protocols: {known}.")
    file_name = f"{name}.toml"
    data = tomllib.loads(read_text(*PROTOCOL_FOLDER, file_name))
    try:
        protocol = _protocol(data)
    except (KeyError, ValueError, TypeError) as error:
        raise ProtocolFileError(f"{file_name}: {error}") from error
    if protocol.name != name:
        raise ProtocolFileError(f"{file_name}: name {protocol.name!r} differs from the file name")
    return protocol


def _is_toml(file_name: str) -> bool:
    return file_name.endswith(".toml")


def _protocol(data: dict[str, Any]) -> LabProtocol:
    _no_unknown_keys(data, _PROTOCOL_KEYS, "protocol")
    repeat = RepeatRule(data["repeat"])
    peak_days = data.get("peak_repeat_days_after")
    if (repeat is RepeatRule.PEAK_DOSE) != isinstance(peak_days, int):
        raise ValueError("peak_repeat_days_after is needed with, and only with, repeat = peak_dose")
    recheck_days = data.get("abnormal_recheck_days")
    return LabProtocol(
        name=str(data["name"]),
        title=str(data["title"]),
        baseline_days_before_start=_positive_int(data["baseline_days_before_start"]),
        panels=tuple(LabPanel(p) for p in data["panels"]),
        optional_panels=tuple(LabPanel(p) for p in data.get("optional_panels", [])),
        repeat=repeat,
        peak_repeat_days_after=peak_days,
        flag_rules=tuple(_flag(f) for f in data.get("flags", [])),
        abnormal_recheck_days=None if recheck_days is None else _positive_int(recheck_days),
    )


def _flag(data: dict[str, Any]) -> FlagRule:
    _no_unknown_keys(data, _FLAG_KEYS, "flags")
    analyte = Analyte(data["analyte"])
    scale = ThresholdScale(data["scale"])
    if analyte not in _SCALE_OF:
        raise ValueError(f"{analyte} has no §3.4 threshold: the lab's own range judges it")
    if scale is not _SCALE_OF[analyte]:
        raise ValueError(f"{analyte} thresholds use the scale {_SCALE_OF[analyte]}")
    if scale is ThresholdScale.TIMES_ULN and _flag_switch(data, "stands_for_upper_limit"):
        raise ValueError("a times_uln threshold is already relative to the lab's upper limit")
    threshold = data["threshold"]
    if isinstance(threshold, bool) or not isinstance(threshold, int | float):
        raise TypeError(f"threshold must be a number, not {threshold!r}")
    return FlagRule(
        analyte=analyte,
        comparison=Comparison(data["comparison"]),
        threshold=Decimal(str(threshold)),
        scale=scale,
        level=FlagLevel(data["level"]),
        message=str(data["message"]),
        stands_for_upper_limit=_flag_switch(data, "stands_for_upper_limit"),
        recheck=_flag_switch(data, "recheck"),
    )


def _flag_switch(data: dict[str, Any], key: str) -> bool:
    value = data.get(key, False)
    if not isinstance(value, bool):
        raise TypeError(f"{key} must be true or false, not {value!r}")
    return value


def _positive_int(value: object) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise ValueError(f"expected a positive whole number of days, not {value!r}")
    return value


def _no_unknown_keys(data: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise ValueError(f"unknown key(s) in {where}: {', '.join(unknown)}")
