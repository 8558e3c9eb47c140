"""`isotrack course import/export` round trips, and `isotrack worklist --json`."""

import json
from datetime import date
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.rules.course_description import parse_course_description
from desktop.services.catalog import resource
from tests.conftest import PASSWORD

EXAMPLES = (
    "first-course-can-get-pregnant.json",
    "escalating-with-missed-days.json",
    "finished-course.json",
)
ADMIN = ["--user", "admin"]


@pytest.fixture
def clinic_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    monkeypatch.setenv("ISOTRACK_DATABASE_URL", url)
    monkeypatch.setenv("ISOTRACK_PASSWORD", PASSWORD)
    monkeypatch.setenv("ISOTRACK_NEW_PASSWORD", PASSWORD)
    assert main(["user", "add", "admin", "--role", "admin", "--clinic-name", "Demo Clinic"]) == 0
    assert main(["user", "add", "drpark", "--role", "prescriber", *ADMIN]) == 0
    return url


def _example(name: str) -> dict[str, object]:
    loaded: dict[str, object] = json.loads(resource("examples", name).read_text("utf-8"))
    return loaded


def _add_patient_for(description: dict[str, object], mrn: str) -> None:
    patient = description["patient"]
    assert isinstance(patient, dict)
    born = date.fromisoformat(patient["birth_date"])
    minor = ["--guardian", "Pat Guardian", "--guardian-relationship", "Parent"]
    status = main(
        [
            "patient",
            "add",
            "--mrn",
            mrn,
            "--name",
            "Example Patient",
            "--birth-date",
            born.isoformat(),
            "--sex-at-birth",
            "female",
            "--can-get-pregnant",
            "yes" if patient["can_get_pregnant"] else "no",
            *minor,
            *ADMIN,
        ]
    )
    assert status == 0


@pytest.mark.parametrize("name", EXAMPLES)
def test_import_then_export_gives_the_same_facts(
    clinic_url: str, tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    original = _example(name)
    _add_patient_for(original, "EX-1")
    capsys.readouterr()
    path = tmp_path / name
    path.write_text(json.dumps(original), encoding="utf-8")
    assert (
        main(["course", "import", "--mrn", "EX-1", str(path), "--prescriber", "drpark", *ADMIN])
        == 0
    )
    assert "Imported course 1 for EX-1" in capsys.readouterr().out
    assert main(["course", "export", "--mrn", "EX-1"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert exported.pop("schema") == "isotrack.course/1"
    assert parse_course_description(exported) == parse_course_description(original)


def test_import_and_export_find_the_mrn_whatever_its_letter_case(
    clinic_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = _example(EXAMPLES[1])
    _add_patient_for(original, "EX-9A")
    path = tmp_path / "c.json"
    path.write_text(json.dumps(original), encoding="utf-8")
    command = ["course", "import", "--mrn", " ex-9a ", str(path), "--prescriber", "drpark"]
    assert main([*command, *ADMIN]) == 0
    capsys.readouterr()
    assert main(["course", "export", "--mrn", "Ex-9A"]) == 0
    assert json.loads(capsys.readouterr().out)["product"] == original["product"]


def test_import_refuses_a_mismatched_patient(
    clinic_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = _example(EXAMPLES[0])
    _add_patient_for({"patient": {"birth_date": "1990-01-01", "can_get_pregnant": True}}, "EX-2")
    path = tmp_path / "c.json"
    path.write_text(json.dumps(original), encoding="utf-8")
    assert (
        main(["course", "import", "--mrn", "EX-2", str(path), "--prescriber", "drpark", *ADMIN])
        == 2
    )
    assert "date of birth" in capsys.readouterr().err


def test_import_names_an_unknown_key(
    clinic_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = _example(EXAMPLES[0])
    _add_patient_for(original, "EX-3")
    original["doses"] = [{"from": "2026-03-02", "mg_perday": 30}]
    path = tmp_path / "c.json"
    path.write_text(json.dumps(original), encoding="utf-8")
    assert (
        main(["course", "import", "--mrn", "EX-3", str(path), "--prescriber", "drpark", *ADMIN])
        == 2
    )
    assert "mg_perday" in capsys.readouterr().err


def test_worklist_json_has_the_contract_keys(
    clinic_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    original = _example(EXAMPLES[0])
    _add_patient_for(original, "EX-4")
    path = tmp_path / "c.json"
    path.write_text(json.dumps(original), encoding="utf-8")
    assert (
        main(["course", "import", "--mrn", "EX-4", str(path), "--prescriber", "drpark", *ADMIN])
        == 0
    )
    capsys.readouterr()
    assert main(["worklist", "--on", "2026-03-20", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert (data["schema"], data["as_of"]) == ("isotrack.worklist/1", "2026-03-20")
    assert data["items"]
    for item in data["items"]:
        assert {"mrn", "patient_name", "kind", "due_date", "status", "severity", "message"} <= set(
            item
        )
        assert item["mrn"] == "EX-4"
        assert item["status"] in {"upcoming", "due", "overdue"}


def test_worklist_refuses_a_bad_date(clinic_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["worklist", "--on", "20/03/2026"]) == 2
    assert "YYYY-MM-DD" in capsys.readouterr().err
