"""The installed `isotrack` command and `python -m desktop`, each in a fresh process as a
shell runs them: help, `db upgrade`, write commands acting as `--user`, `audit verify`."""

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory

from db.engine import create_clinic_engine
from db.migrate import alembic_config

ISOTRACK = Path(sys.executable).with_name("isotrack")
PASSWORD = "a long enough passphrase"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A clean environment: no database URL inherited, data folders inside tmp_path."""
    values = {k: v for k, v in os.environ.items() if not k.startswith("ISOTRACK_")}
    values.update(
        HOME=str(tmp_path / "home"),
        XDG_DATA_HOME=str(tmp_path / "data"),
        ISOTRACK_PASSWORD=PASSWORD,
        ISOTRACK_NEW_PASSWORD=PASSWORD,
    )
    return values


def _run(env: dict[str, str], *args: str) -> "subprocess.CompletedProcess[str]":
    return subprocess.run(
        [str(ISOTRACK), *args], capture_output=True, text=True, env=env, check=False, timeout=120
    )


def _head() -> str:
    engine = create_clinic_engine("sqlite://")
    head = ScriptDirectory.from_config(alembic_config(engine)).get_current_head()
    engine.dispose()
    assert head is not None
    return head


def test_python_dash_m_desktop_prints_help_without_opening_anything(
    env: dict[str, str], tmp_path: Path
) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "desktop", "--help"],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        check=False,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("usage: isotrack ")
    for command in ("db", "user", "patient", "demo-data", "audit", "worklist", "dose"):
        assert command in result.stdout
    assert not (tmp_path / "data").exists()  # no clinic file was created


def test_db_upgrade_creates_the_schema_then_finds_it_current(
    env: dict[str, str], tmp_path: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    created = _run(env, "--db", url, "db", "upgrade")
    assert created.returncode == 0, created.stderr
    assert created.stdout == f"Upgraded the schema from empty to {_head()}.\n"
    again = _run(env, "db", "upgrade", "--db", url)
    assert (again.returncode, again.stdout) == (
        0,
        f"The database is up to date (schema {_head()}).\n",
    )


def test_writes_are_audited_and_audit_verify_finds_tampering(
    env: dict[str, str], tmp_path: Path
) -> None:
    path = tmp_path / "clinic.db"
    env["ISOTRACK_DATABASE_URL"] = f"sqlite:///{path}"
    steps = [
        ("user", "add", "admin", "--role", "admin", "--clinic-name", "Shell Clinic"),
        (
            "patient",
            "add",
            "--mrn",
            "S-1",
            "--name",
            "Ingrid Haddad",
            "--birth-date",
            "1990-12-10",
            "--sex-at-birth",
            "female",
            "--can-get-pregnant",
            "yes",
            "--user",
            "admin",
        ),
    ]
    for step in steps:
        done = _run(env, *step)
        assert done.returncode == 0, done.stderr
    whole = _run(env, "audit", "verify")
    assert whole.returncode == 0, whole.stderr
    assert "chain whole" in whole.stdout
    raw = sqlite3.connect(path)
    raw.execute("DROP TRIGGER audit_entries_no_update")
    raw.execute("UPDATE audit_entries SET actor_name = 'Mallory' WHERE action = 'patient.create'")
    raw.commit()
    [(seq,)] = raw.execute("SELECT seq FROM audit_entries WHERE action = 'patient.create'")
    raw.close()
    broken = _run(env, "audit", "verify")
    assert broken.returncode == 1
    assert f"BROKEN at entry {seq}" in broken.stderr
    assert "Traceback" not in broken.stderr
