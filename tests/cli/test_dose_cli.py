"""`isotrack dose` (DESIGN.md public CLI; domain.md §8 D1, §2.1, §2.2)."""

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main

DOSE_KEYS = {
    "schema",
    "product",
    "weight_kg",
    "target_mg_per_day",
    "mg_per_day",
    "doses",
    "achieved_mg_per_kg_day",
    "warnings",
}


def dose_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, Any]:
    assert main(["dose", *args, "--json"]) == 0
    result: dict[str, Any] = json.loads(capsys.readouterr().out)
    return result


def test_json_has_the_contract_keys_and_values(capsys: pytest.CaptureFixture[str]) -> None:
    """§2.1 label table: 60 kg at 0.5 mg/kg/day → 30 mg/day, 10 mg AM + 20 mg PM (§8 D1)."""
    out = dose_json(capsys, "--weight-kg", "60", "--mg-per-kg-day", "0.5")
    assert set(out) >= DOSE_KEYS
    assert out["schema"] == "isotrack.dose/1"
    assert out["product"] == "generic"
    assert out["weight_kg"] == 60
    assert out["target_mg_per_day"] == 30
    assert out["mg_per_day"] == 30
    assert out["doses"] == [
        {"time": "am", "mg": 10, "capsules_mg": [10]},
        {"time": "pm", "mg": 20, "capsules_mg": [20]},
    ]
    assert out["achieved_mg_per_kg_day"] == 0.5
    assert out["warnings"] == []
    assert out["capsules_per_30_days"] == [
        {"strength_mg": 10, "capsules": 30},
        {"strength_mg": 20, "capsules": 30},
    ]
    assert out["food"] == "with_meal"


def test_achieved_is_a_json_number_with_two_decimals(capsys: pytest.CaptureFixture[str]) -> None:
    """72.5 kg × 0.5 = 36.25 → 40 mg/day → 0.5517… → 0.55 (§8 D1)."""
    out = dose_json(capsys, "--weight-kg", "72,5", "--mg-per-kg-day", "0.5")
    assert out["target_mg_per_day"] == 36.25
    assert out["mg_per_day"] == 40
    assert isinstance(out["achieved_mg_per_kg_day"], float)
    assert out["achieved_mg_per_kg_day"] == 0.55


def test_weight_in_pounds(capsys: pytest.CaptureFixture[str]) -> None:
    """§6: 1 lb = 0.45359237 kg; 154.32 lb ≈ 70 kg → 70 mg/day at 1 mg/kg/day."""
    out = dose_json(capsys, "--weight-lb", "154.32", "--mg-per-kg-day", "1")
    assert out["weight_kg"] == 70.00
    assert out["mg_per_day"] == 70


@pytest.mark.parametrize(
    ("args", "weight_kg", "text"),
    [
        pytest.param(["--weight-lb", "154"], 69.85, "69.9 kg (154.0 lb)", id="lb-to-2-decimals"),
        pytest.param(["--weight-lb", "150"], 68.04, "68.0 kg (150.0 lb)", id="lb-half-up"),
        pytest.param(["--weight-kg", "72,5"], 72.5, "72.5 kg (159.8 lb)", id="kg-as-typed"),
        pytest.param(["--weight-kg", "60.125"], 60.13, "60.1 kg (132.6 lb)", id="kg-tie-half-up"),
    ],
)
def test_weight_kg_in_json_has_2_decimals_like_the_text_rounding(
    capsys: pytest.CaptureFixture[str], args: list[str], weight_kg: float, text: str
) -> None:
    """DESIGN.md keeps the key `weight_kg`; 154 lb = 69.85322498 kg is printed 69.85."""
    out = dose_json(capsys, *args, "--mg-per-kg-day", "0.5")
    assert out["weight_kg"] == weight_kg
    assert main(["dose", *args, "--mg-per-kg-day", "0.5"]) == 0
    assert text in capsys.readouterr().out


def test_absorica_ld_with_warnings(capsys: pytest.CaptureFixture[str]) -> None:
    """§2.1 LD table: 70 kg at 0.8 → 56 mg/day; LD is stated separately."""
    out = dose_json(
        capsys, "--weight-kg", "70", "--mg-per-kg-day", "0.8", "--product", "absorica-ld"
    )
    assert out["product"] == "absorica-ld"
    assert out["mg_per_day"] == 56
    assert [d["capsules_mg"] for d in out["doses"]] == [[28], [28]]
    assert any("not interchangeable" in w for w in out["warnings"])
    assert out["food"] == "with_or_without_meal"


def test_under_twelve_is_warned(capsys: pytest.CaptureFixture[str]) -> None:
    """§2.1: indicated from 12 years."""
    out = dose_json(
        capsys,
        *("--weight-kg", "40", "--mg-per-kg-day", "0.5"),
        *("--birth-date", "2015-06-02", "--on", "2026-06-01"),
    )
    assert any("labelled from 12" in w for w in out["warnings"])


def test_above_maximum_is_refused_without_override(capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["dose", "--weight-kg", "70", "--mg-per-kg-day", "2.5"])
    captured = capsys.readouterr()
    assert status != 0
    assert captured.out == ""
    assert "prescriber override" in captured.err
    out = dose_json(capsys, "--weight-kg", "70", "--mg-per-kg-day", "2.5", "--prescriber-override")
    assert out["mg_per_day"] == 160
    assert any("labelled maximum" in w for w in out["warnings"])


@pytest.mark.parametrize(
    ("args", "says"),
    [
        pytest.param(["--product", "accutane"], "Known products: generic, amnesteem", id="product"),
        pytest.param(["--weight-kg", "1,000"], "ambiguous", id="thousands"),
        pytest.param(["--weight-kg", "-70"], "more than zero", id="negative"),
        pytest.param(["--weight-kg", "700"], "between", id="absurd"),
        pytest.param(["--mg-per-kg-day", "lots"], "must be a number", id="dose-garbage"),
        pytest.param(["--birth-date", "14/05/2007", "--on", "2026-01-01"], "YYYY-MM-DD", id="date"),
    ],
)
def test_errors_go_to_stderr_with_nonzero_exit(
    args: list[str], says: str, capsys: pytest.CaptureFixture[str]
) -> None:
    defaults = {"--weight-kg": "70", "--mg-per-kg-day": "1"}
    for option, value in zip(args[::2], args[1::2], strict=True):
        defaults[option] = value
    argv = ["dose"] + [part for pair in defaults.items() for part in pair]
    status = main(argv)
    captured = capsys.readouterr()
    assert status != 0
    assert captured.out == ""
    assert says in captured.err


def test_human_output_reads_as_a_regimen(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["dose", "--weight-kg", "90", "--mg-per-kg-day", "1"]) == 0
    out = capsys.readouterr().out
    assert "Isotretinoin (generic), 90.0 kg (198.4 lb), 1 mg/kg/day (target 90 mg/day)" in out
    assert "Morning    40 mg   1 capsule of 40 mg" in out
    assert "Evening    50 mg   1 × 10 mg + 1 × 40 mg" in out
    assert "Daily      90 mg   = 1.00 mg/kg/day" in out
    assert "with a meal" in out
    assert "30-day fill: 30 × 10 mg, 60 × 40 mg" in out
    assert "Warnings" not in out


COMMAND = ["dose", "--weight-kg", "60", "--mg-per-kg-day", "0.5", "--json"]


def _check_process_output(result: "subprocess.CompletedProcess[str]") -> None:
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["schema"] == "isotrack.dose/1"
    assert out["mg_per_day"] == 30


def test_installed_console_script_runs_dose() -> None:
    """The real `isotrack` entry point (desktop.main:main) in a fresh process."""
    script = Path(sys.executable).with_name("isotrack")
    result = subprocess.run(
        [str(script), *COMMAND], capture_output=True, text=True, check=False, timeout=60
    )
    _check_process_output(result)


def test_cli_runs_dose_in_a_fresh_process() -> None:
    code = "import sys; from desktop.cli import main; sys.exit(main(sys.argv[1:]))"
    result = subprocess.run(
        [sys.executable, "-c", code, *COMMAND],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    _check_process_output(result)
    refused = subprocess.run(
        [
            sys.executable,
            "-c",
            code,
            "dose",
            "--weight-kg",
            "70",
            "--mg-per-kg-day",
            "1",
            "--product",
            "x",
        ],
        capture_output=True,
        text=True,
        check=False,
        timeout=60,
    )
    assert refused.returncode != 0
    assert "Known products" in refused.stderr
