"""`isotrack plan COURSE.json [--on DATE] [--json]` on the bundled examples (DESIGN.md)."""

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from desktop.cli import main
from desktop.services.catalog import read_text

EXAMPLES = {
    "first-course-can-get-pregnant.json": "2026-02-24",
    "escalating-with-missed-days.json": "2026-08-31",
    "finished-course.json": "2026-03-20",
}
DESIGN_KEYS = [
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
]
ISO_DATE = r"^\d{4}-\d{2}-\d{2}$"


def example_file(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text(read_text("examples", name), encoding="utf-8")
    return path


def run_json(capsys: pytest.CaptureFixture[str], *args: str) -> dict[str, object]:
    assert main(["plan", *args, "--json"]) == 0
    out = capsys.readouterr().out
    data: dict[str, object] = json.loads(out)
    return data


@pytest.mark.parametrize(("name", "on"), EXAMPLES.items())
def test_every_example_gives_every_design_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, on: str
) -> None:
    plan = run_json(capsys, str(example_file(tmp_path, name)), "--on", on)
    assert plan["schema"] == "isotrack.plan/1"
    assert [k for k in plan if k in DESIGN_KEYS] == DESIGN_KEYS
    assert plan["as_of"] == on
    for item in plan["due"]:  # type: ignore[attr-defined]
        assert set(item) == {"kind", "due_date", "status", "severity", "message"}
        assert item["status"] in {"upcoming", "due", "overdue"}
    for lab in plan["labs_due"]:  # type: ignore[attr-defined]
        assert {"panel", "due_date"} <= set(lab)


def test_first_course_example(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """§1.3: earliest confirmation = max(02-02 + 19, 01-20 + 30) = 2026-02-21; 58.5 kg ×
    150 = 8775 mg ÷ 30 mg = 293 days from 2026-03-02."""
    path = example_file(tmp_path, "first-course-can-get-pregnant.json")
    plan = run_json(capsys, str(path), "--on", "2026-02-24")
    assert plan["first_course"] == {"earliest_confirmation_test": "2026-02-21"}
    assert (plan["remaining_mg"], plan["days_to_target"]) == (8775, 293)
    assert plan["projected_last_dose_date"] == "2026-12-19"
    assert plan["fill_window"] is None
    assert plan["post_course"] is None
    assert [d["kind"] for d in plan["due"]] == ["confirmation_test", "visit"]  # type: ignore[attr-defined]


def test_readable_summary(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = example_file(tmp_path, "escalating-with-missed-days.json")
    assert main(["plan", str(path), "--on", "2026-08-31"]) == 0
    out = capsys.readouterr().out
    assert "Cumulative dose: 7540 mg = 96.51 mg/kg of a 150 mg/kg target" in out
    assert "reached in 52 days (last dose 2026-10-22)" in out
    assert "Monthly visit due" in out


def test_unknown_key_error_names_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = json.loads(read_text("examples", "finished-course.json"))
    data["doses"][1]["mg_perday"] = 70
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["plan", str(path), "--on", "2026-03-20", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "doses[1].mg_perday: Unknown key" in captured.err


@pytest.mark.parametrize(
    ("args", "words"),
    [
        pytest.param(["missing.json"], "Cannot read missing.json", id="missing-file"),
        pytest.param(["{file}", "--on", "01/03/2026"], "--on: expected a date", id="bad-on"),
        pytest.param(
            ["{file}", "--ipledge-change-date", "soon"],
            "--ipledge-change-date",
            id="bad-change-date",
        ),
    ],
)
def test_option_errors_go_to_stderr(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    words: str,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    path = str(example_file(tmp_path, "finished-course.json"))
    status = main(["plan", *(path if a == "{file}" else a for a in args)])
    assert status != 0
    assert words in capsys.readouterr().err


def test_change_date_option(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(example_file(tmp_path, "escalating-with-missed-days.json"))
    plan = run_json(capsys, path, "--on", "2026-08-31", "--ipledge-change-date", "2026-12-01")
    assert plan["rule_set"] == "ipledge-2021-12-13"


def test_on_defaults_to_today(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    plan = run_json(capsys, str(example_file(tmp_path, "finished-course.json")))
    assert isinstance(plan["as_of"], str)
    assert len(plan["as_of"]) == 10


AUDIT_COURSE: dict[str, Any] = {
    "patient": {"birth_date": "2000-05-14", "can_get_pregnant": True},
    "product": "generic",
    "start_date": "2026-07-01",
    "end_date": None,
    "target_mg_per_kg": 150,
    "lab_protocol": "clinic-monthly",
    "weights": [{"date": "2026-07-01", "kg": 60.0}],
    "doses": [{"from": "2026-07-01", "mg_per_day": 60}],
    "pregnancy_tests": [
        {"specimen_date": "2026-05-01", "result": "negative", "purpose": "screening"}
    ],
    "contraception": [{"from": "2026-04-01", "primary": "IUD", "secondary": "condom"}],
}


def _negative(day: str, purpose: str, **facts: str) -> dict[str, str]:
    return {"specimen_date": day, "result": "negative", "purpose": purpose, **facts}


@pytest.mark.parametrize(
    ("changes", "on", "due_kind", "due_words", "not_before"),
    [
        pytest.param(
            {
                "start_date": "2026-05-12",
                "doses": [{"from": "2026-05-12", "mg_per_day": 60}],
                "tests": [_negative("2026-05-10", "confirmation")],
            },
            "2026-05-11",
            "confirmation_test",
            "Repeat it on or after 2026-05-20.",
            None,
            id="A-confirmation-9-days-after-screening",
        ),
        pytest.param(
            {
                "tests": [
                    _negative("2026-06-01", "confirmation"),
                    _negative("2026-06-16", "confirmation"),
                ]
            },
            "2026-06-17",
            "confirmation_test",
            "19-day wait",
            "2026-06-20",
            id="B-2021-repeat-inside-the-19-day-wait",
        ),
        pytest.param(
            {
                "start_date": "2026-06-03",
                "doses": [{"from": "2026-06-03", "mg_per_day": 60}],
                "fills": [{"date": "2026-06-03", "days_supply": 30}],
                "home_pregnancy_tests_allowed": True,
                "tests": [
                    _negative("2026-06-01", "confirmation"),
                    _negative("2026-07-01", "monthly", setting="home"),
                ],
            },
            "2026-07-02",
            "pregnancy_test",
            "Home tests are not accepted",
            None,
            id="C-home-monthly-test-before-the-change",
        ),
    ],
)
def test_a_test_that_does_not_count_opens_no_window_and_is_shown_now(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    changes: dict[str, Any],
    on: str,
    due_kind: str,
    due_words: str,
    not_before: str | None,
) -> None:
    """The audit's three cases (domain.md §1.3, §1.4): no window, a warning item visible on
    the day asked about, and a plan warning naming the test by its path."""
    data = copy.deepcopy(AUDIT_COURSE)
    tests = changes.pop("tests")
    data.update(changes)
    data["pregnancy_tests"] += tests
    path = tmp_path / "course.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    plan = run_json(capsys, str(path), "--on", on)
    assert plan["fill_window"] is None
    assert plan["next_confirmation_test_not_before"] == not_before
    items = [i for i in plan["due"] if i["kind"] == due_kind]  # type: ignore[attr-defined]
    assert len(items) == 1
    assert items[0]["severity"] == "warning"
    assert items[0]["status"] in {"due", "overdue"}
    assert due_words in items[0]["message"]
    index = len(data["pregnancy_tests"]) - 1
    assert f"pregnancy_tests[{index}]: The {tests[-1]['purpose']} test of" in "\n".join(
        plan["warnings"]  # type: ignore[arg-type]
    )


def test_a_dose_above_the_labelled_maximum_is_refused_unless_overridden(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """§2.1: Claravis at most 2 mg/kg/day; 160 mg/day at 75 kg is 2.13. With the override:
    30 days x 40 mg + (149 days - 2 missed) x 160 mg = 24720 mg."""
    data = json.loads(read_text("examples", "finished-course.json"))
    data["doses"][1]["mg_per_day"] = 160
    path = tmp_path / "high.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert main(["plan", str(path), "--on", "2026-03-20", "--json"]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "doses[1].mg_per_day: 160 mg/day at 75.0 kg (165.3 lb) is 2.13 mg/kg/day" in (
        captured.err
    )
    data["doses"][1]["prescriber_override"] = True
    path.write_text(json.dumps(data), encoding="utf-8")
    assert run_json(capsys, str(path), "--on", "2026-03-20")["cumulative_mg"] == 24720


def test_a_hold_of_0_mg_per_day_counts_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """§8 C1: the finished course held for its last 10 days (2026-02-17..26) counts 700 mg
    less: 11490 - 10 x 70."""
    data = json.loads(read_text("examples", "finished-course.json"))
    data["doses"].append({"from": "2026-02-17", "mg_per_day": 0})
    path = tmp_path / "hold.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    assert run_json(capsys, str(path), "--on", "2026-03-20")["cumulative_mg"] == 10790


def test_a_patient_under_12_is_warned_as_isotrack_dose_does(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """§2.1: born 2014-03-21, 11 on 2026-03-20 (12 the next day)."""
    data = json.loads(read_text("examples", "finished-course.json"))
    data["patient"]["birth_date"] = "2014-03-21"
    path = tmp_path / "young.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    warnings = run_json(capsys, str(path), "--on", "2026-03-20")["warnings"]
    assert (
        "patient.birth_date: The patient is 11: isotretinoin is labelled from 12 years"
        in (
            warnings[0]  # type: ignore[index]
        )
    )
    assert run_json(capsys, str(path), "--on", "2026-03-21")["warnings"] == []
