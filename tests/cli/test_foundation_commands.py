"""`isotrack db upgrade`, `user add`, `patient add`, `demo-data` and `audit verify`, run as a
clinic administrator would from a shell."""

import json
import sqlite3
from datetime import date, timedelta
from pathlib import Path

import pytest

from desktop.cli import main
from tests.conftest import PASSWORD

ADMIN = ["--user", "admin"]


@pytest.fixture
def db_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    monkeypatch.setenv("ISOTRACK_DATABASE_URL", url)
    monkeypatch.setenv("ISOTRACK_PASSWORD", PASSWORD)
    monkeypatch.setenv("ISOTRACK_NEW_PASSWORD", PASSWORD)
    return url


@pytest.fixture
def set_up(db_url: str) -> str:
    assert main(["user", "add", "admin", "--role", "admin", "--clinic-name", "Demo Clinic"]) == 0
    return db_url


def test_db_upgrade_creates_and_then_reports_up_to_date(
    db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["db", "upgrade"]) == 0
    assert "Upgraded the schema from empty" in capsys.readouterr().out
    assert main(["--db", db_url, "db", "upgrade"]) == 0
    assert "up to date" in capsys.readouterr().out


def test_first_user_needs_a_clinic_name(db_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["user", "add", "admin", "--role", "admin"]) == 2
    assert "--clinic-name" in capsys.readouterr().err


def test_staff_are_added_by_an_administrator(
    set_up: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["user", "add", "nina", "--role", "nurse", "--display-name", "Nina N", *ADMIN]) == 0
    assert "Added nurse 'nina'" in capsys.readouterr().out
    assert main(["user", "add", "eve", "--role", "admin", "--user", "nina"]) == 4
    assert "cannot manage staff" in capsys.readouterr().err


def test_wrong_password_is_refused(
    set_up: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ISOTRACK_PASSWORD", "not the password")
    assert main(["demo-data", "--patients", "2", *ADMIN]) == 5
    assert "Wrong username or password" in capsys.readouterr().err


def test_patient_add_saves_every_option(set_up: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "patient",
            "add",
            "--mrn",
            "A-77",
            "--name",
            "Zoë O'Brien",
            "--birth-date",
            "2010-02-28",
            "--sex-at-birth",
            "female",
            "--can-get-pregnant",
            "yes",
            "--guardian",
            "Mary O'Brien",
            "--guardian-relationship",
            "Mother",
            "--ipledge-id",
            "1234567890",
            "--json",
            *ADMIN,
        ]
    )
    assert status == 0
    saved = json.loads(capsys.readouterr().out)
    assert saved["schema"] == "isotrack.patient/1"
    assert (saved["mrn"], saved["legal_name"], saved["risk_category"]) == (
        "A-77",
        "Zoë O'Brien",
        "can_get_pregnant",
    )


def test_patient_add_names_the_problem(set_up: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "patient",
            "add",
            "--mrn",
            "A-78",
            "--name",
            "Kid Minor",
            "--birth-date",
            "2015-01-01",
            "--sex-at-birth",
            "male",
            "--can-get-pregnant",
            "no",
            *ADMIN,
        ]
    )
    assert status == 2
    assert "guardian" in capsys.readouterr().err


def test_bad_date_option_is_explained(set_up: str, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(
        [
            "patient",
            "add",
            "--mrn",
            "A-79",
            "--name",
            "X Y",
            "--birth-date",
            "14/05/2007",
            "--sex-at-birth",
            "male",
            "--can-get-pregnant",
            "no",
            *ADMIN,
        ]
    )
    assert status == 2
    assert "--birth-date: write the date as YYYY-MM-DD" in capsys.readouterr().err


def test_demo_data_is_deterministic_and_audited(
    set_up: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo-data", "--patients", "40", "--seed", "7", *ADMIN]) == 0
    assert "Loaded 40 synthetic demo patients" in capsys.readouterr().out
    assert main(["demo-data", "--patients", "40", "--seed", "7", *ADMIN]) == 2  # no double load
    raw = sqlite3.connect(set_up.removeprefix("sqlite:///"))
    names = [r[0] for r in raw.execute("SELECT legal_name FROM patients ORDER BY mrn")]
    audited = raw.execute("SELECT count(*) FROM audit_entries WHERE action='patient.create'")
    assert audited.fetchone()[0] == 40
    statuses = {row[0] for row in raw.execute("SELECT DISTINCT status FROM courses")}
    entries = raw.execute("SELECT count(*) FROM worklist_entries").fetchone()[0]
    raw.close()
    assert statuses == {"active", "paused", "ended"}  # courses at every stage
    assert entries > 0  # and a worklist computed before the load committed
    assert len(names) == 40
    assert any(ch in "".join(names) for ch in "ëéñ'ł")  # accents and apostrophes are exercised
    assert main(["audit", "verify"]) == 0
    assert "chain whole" in capsys.readouterr().out


def test_audit_verify_names_the_first_broken_row(
    set_up: str, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = sqlite3.connect(set_up.removeprefix("sqlite:///"))
    raw.execute("DROP TRIGGER audit_entries_no_update")
    raw.execute("UPDATE audit_entries SET actor_name = 'Mallory' WHERE seq = 2")
    raw.commit()
    raw.close()
    assert main(["audit", "verify"]) == 1
    assert "BROKEN at entry 2" in capsys.readouterr().err


EVERY_OPTION = {
    "--mrn": "B-2024",
    "--name": "Siobhán Ó Dálaigh",
    "--preferred-name": "Shiv",
    "--birth-date": "2009-07-31",
    "--sex-at-birth": "intersex",
    "--can-get-pregnant": "no",
    "--ipledge-id": "9876543210",
    "--phone": "+1 (555) 010-7788",
    "--email": "shiv@example.org",
    "--allergies": "Penicillin (rash)",
    "--guardian": "Máire Ó Dálaigh",
    "--guardian-relationship": "Mother",
}
SAVED_FROM_EVERY_OPTION = {
    "mrn": "B-2024",
    "legal_name": "Siobhán Ó Dálaigh",
    "preferred_name": "Shiv",
    "birth_date": "2009-07-31",
    "sex_at_birth": "intersex",
    "risk_category": "cannot_get_pregnant",
    "ipledge_patient_id": "9876543210",
    "phone": "+1 (555) 010-7788",
    "email": "shiv@example.org",
    "allergies": "Penicillin (rash)",
    "has_retinoid_allergy": True,
    "is_pregnant_or_breastfeeding": True,
    "guardian_name": "Máire Ó Dálaigh",
    "guardian_relationship": "Mother",
}


def _add_nurse(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["user", "add", "nina", "--role", "nurse", "--display-name", "Nina N", *ADMIN]) == 0
    capsys.readouterr()


def test_patient_add_saves_every_option_and_the_audit_names_the_user(
    set_up: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_nurse(capsys)
    options = [part for pair in EVERY_OPTION.items() for part in pair]
    flags = ["--retinoid-allergy", "--pregnant-or-breastfeeding"]
    assert main(["patient", "add", *options, *flags, "--user", "nina"]) == 0
    assert capsys.readouterr().out == "Registered patient B-2024.\n"
    raw = sqlite3.connect(set_up.removeprefix("sqlite:///"))
    raw.row_factory = sqlite3.Row
    [patient] = raw.execute("SELECT * FROM patients").fetchall()
    [entry] = raw.execute(
        "SELECT a.*, s.username FROM audit_entries a JOIN staff_users s ON s.id = a.actor_id "
        "WHERE a.action = 'patient.create'"
    ).fetchall()
    raw.close()
    saved = {key: patient[key] for key in SAVED_FROM_EVERY_OPTION}
    for flag in ("has_retinoid_allergy", "is_pregnant_or_breastfeeding"):
        saved[flag] = bool(saved[flag])
    assert saved == SAVED_FROM_EVERY_OPTION
    assert patient["updated_by_name"] == "Nina N"
    assert (entry["username"], entry["actor_name"], entry["entity_id"]) == (
        "nina",
        "Nina N",
        patient["id"],
    )
    assert (entry["patient_id"], json.loads(entry["old_values"])) == (patient["id"], {})
    assert json.loads(entry["new_values"]) == SAVED_FROM_EVERY_OPTION


def test_the_risk_category_must_be_given(set_up: str, capsys: pytest.CaptureFixture[str]) -> None:
    base = ["patient", "add", "--mrn", "C-1", "--name", "Kai Tanaka", "--birth-date", "1990-01-01"]
    base += ["--sex-at-birth", "male", *ADMIN]
    assert main(base) == 2
    assert capsys.readouterr().err == (
        "isotrack: --can-get-pregnant is required: yes or no, the iPLEDGE risk category the "
        "prescriber assigned (not-yet-assigned if they have not yet). Nothing was saved.\n"
    )
    raw = sqlite3.connect(set_up.removeprefix("sqlite:///"))
    assert raw.execute("SELECT count(*) FROM patients").fetchone()[0] == 0
    raw.close()
    assert main([*base, "--can-get-pregnant", "not-yet-assigned", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["risk_category"] is None


DEMO_FACTS = {
    "patients": "SELECT mrn, legal_name, birth_date, sex_at_birth, risk_category, "
    "ipledge_patient_id, guardian_name, guardian_relationship FROM patients ORDER BY mrn",
    "courses": "SELECT p.mrn, c.number, c.status, c.product, c.start_on, c.last_dose_on, "
    "c.ipledge_enrolled_on FROM courses c JOIN patients p ON p.id = c.patient_id "
    "ORDER BY p.mrn, c.number",
    "doses": "SELECT p.mrn, d.starts_on, d.mg_per_day FROM dose_periods d "
    "JOIN courses c ON c.id = d.course_id JOIN patients p ON p.id = c.patient_id "
    "ORDER BY p.mrn, d.starts_on",
    "weights": "SELECT p.mrn, w.measured_on, w.weight_kg FROM weights w "
    "JOIN courses c ON c.id = w.course_id JOIN patients p ON p.id = c.patient_id "
    "ORDER BY p.mrn, w.measured_on",
}


def _demo_facts(url: str) -> dict[str, list[tuple[object, ...]]]:
    raw = sqlite3.connect(url.removeprefix("sqlite:///"))
    try:
        return {name: raw.execute(sql).fetchall() for name, sql in DEMO_FACTS.items()}
    finally:
        raw.close()


def _url(folder: Path, name: str) -> str:
    return f"sqlite:///{folder / name}.db"


def _demo_clinic(url: str, *options: str) -> dict[str, list[tuple[object, ...]]]:
    assert main(["--db", url, "user", "add", "admin", "--role", "admin", "--clinic-name", "X"]) == 0
    assert main(["--db", url, "demo-data", "--patients", "60", *options, *ADMIN]) == 0
    return _demo_facts(url)


def test_demo_data_with_one_seed_and_date_is_the_same_in_any_database(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _demo_clinic(db_url, "--seed", "11", "--on", "2026-03-02")
    second = _demo_clinic(
        f"sqlite:///{tmp_path / 'other.db'}", "--seed", "11", "--on", "2026-03-02"
    )
    assert first == second
    assert len(first["patients"]) == 60
    assert {row[2] for row in first["courses"]} == {"active", "paused", "ended"}
    assert all(len(rows) > 10 for rows in first.values())
    other_seed = _demo_clinic(
        f"sqlite:///{tmp_path / 'seed12.db'}", "--seed", "12", "--on", "2026-03-02"
    )
    assert [r[1:] for r in other_seed["patients"]] != [r[1:] for r in first["patients"]]


def test_demo_dates_count_back_from_the_demo_clinics_date(
    db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A week later, the same seed gives the same people with every date a week later: the
    demo clinic is current whenever it is loaded, and reproducible for a given date."""
    earlier = _demo_clinic(db_url, "--seed", "11", "--on", "2026-03-02")
    later = _demo_clinic(_url(tmp_path, "later"), "--seed", "11", "--on", "2026-03-09")

    def shifted(value: object) -> object:
        if isinstance(value, str) and len(value) == 10 and value[4] == "-":
            return (date.fromisoformat(value) + timedelta(days=7)).isoformat()
        return value

    for name, rows in earlier.items():
        assert [tuple(shifted(v) for v in row) for row in rows] == later[name], name


def test_demo_data_refuses_a_date_after_today(
    set_up: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo-data", "--patients", "3", "--on", "2099-01-01", *ADMIN]) == 2
    assert "The demo clinic's date cannot be after today." in capsys.readouterr().err
    assert main(["demo-data", "--patients", "3", "--on", "3/2/2026", *ADMIN]) == 2
    assert "--on: write the date as YYYY-MM-DD" in capsys.readouterr().err
