"""`isotrack db upgrade`, `user add`, `patient add`, `demo-data` and `audit verify`, run as a
clinic administrator would from a shell."""

import json
import sqlite3
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
