"""Migrations: from empty to head, no child rows lost in SQLite batch rebuilds, a backup
before upgrading an older file, and a newer database refused."""

import os
import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, inspect

import db.migrations.versions as shipped_versions
from db.engine import create_clinic_engine
from db.migrate import (
    DatabaseTooNew,
    alembic_config,
    prepare_database,
    schema_state,
    upgrade,
)

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)

# A test-only revision that rebuilds `patients` in batch mode, as a real schema change would.
_BATCH_REVISION = """
from alembic import op
import sqlalchemy as sa
revision = "9001"
down_revision = "{head}"
branch_labels = None
depends_on = None
def upgrade():
    with op.batch_alter_table("patients") as batch:
        batch.add_column(sa.Column("nickname", sa.String(50), nullable=False, server_default=""))
        batch.alter_column("preferred_name", existing_type=sa.String(200), nullable=True)
    # The rebuild cannot reflect 0006's expression index, so it is gone: make it again.
    op.create_index("uq_patients_mrn_any_case", "patients", [sa.text("lower(mrn)")], unique=True)
{fail}
def downgrade():
    pass
"""


def _upgrade_with_test_revision(engine: Engine, folder: Path, *, fail: bool = False) -> None:
    head = schema_state(engine).head
    body = '    raise RuntimeError("injected failure")' if fail else ""
    (folder / "9001_test_batch.py").write_text(_BATCH_REVISION.format(head=head, fail=body))
    config = alembic_config(engine)
    shipped = Path(shipped_versions.__file__).parent
    config.set_main_option("version_locations", f"{shipped}{os.pathsep}{folder}")
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "heads")


# SQLite's reflection skips an expression index with this warning (which the suite turns
# into an error, so that a rebuild of `patients` cannot drop 0006's index unnoticed).
BATCH_REBUILDS_PATIENTS = pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index uq_patients_mrn_any_case"
)


def _seed_patient_with_children(path: Path) -> None:
    raw = sqlite3.connect(path)
    raw.executescript(
        """
        PRAGMA foreign_keys=ON;
        INSERT INTO patients (id, mrn, legal_name, preferred_name, birth_date, sex_at_birth,
          ipledge_patient_id, phone, email, allergies, has_retinoid_allergy,
          is_pregnant_or_breastfeeding, guardian_name, guardian_relationship, search_text,
          created_at, version, updated_at, updated_by_name)
          VALUES (1, 'M1', 'A B', '', '2000-01-01', 'female', '', '', '', '', 0, 0, '', '',
          'a b m1', '2026-01-01 00:00:00', 1, '2026-01-01 00:00:00', 'x');
        CREATE TABLE test_children (id INTEGER PRIMARY KEY,
          patient_id INTEGER NOT NULL REFERENCES patients(id) ON DELETE CASCADE);
        INSERT INTO test_children (patient_id) VALUES (1), (1), (1), (1), (1);
        """
    )
    raw.commit()
    raw.close()


def _children(path: Path) -> int:
    raw = sqlite3.connect(path)
    try:
        return int(raw.execute("SELECT count(*) FROM test_children").fetchone()[0])
    finally:
        raw.close()


@pytest.mark.sqlite_only
def test_empty_database_upgrades_to_head(tmp_path: Path) -> None:
    engine = create_clinic_engine(f"sqlite:///{tmp_path / 'new.db'}")
    assert prepare_database(engine, now=NOW) is None  # nothing to back up
    assert schema_state(engine).is_current
    assert {"patients", "staff_users", "audit_entries"} <= set(inspect(engine).get_table_names())
    engine.dispose()


@pytest.mark.sqlite_only
@BATCH_REBUILDS_PATIENTS
def test_batch_rebuild_keeps_child_rows(owner_database_url: str, tmp_path: Path) -> None:
    """TECH-NOTES §3.4: with foreign keys on, the rebuild's DROP would cascade to 0 rows."""
    path = Path(owner_database_url.removeprefix("sqlite:///"))
    _seed_patient_with_children(path)
    engine = create_clinic_engine(owner_database_url)
    _upgrade_with_test_revision(engine, tmp_path)
    engine.dispose()
    assert _children(path) == 5
    raw = sqlite3.connect(path)
    raw.executescript(
        "CREATE TEMP TABLE copy AS SELECT * FROM patients; UPDATE copy SET id = 2, mrn = 'm1';"
    )
    with pytest.raises(sqlite3.IntegrityError, match="uq_patients_mrn_any_case"):
        raw.execute("INSERT INTO patients SELECT * FROM copy").close()  # m1 is M1
    raw.close()


@pytest.mark.sqlite_only
@BATCH_REBUILDS_PATIENTS
def test_failed_migration_leaves_the_database_as_it_was(
    owner_database_url: str, tmp_path: Path
) -> None:
    path = Path(owner_database_url.removeprefix("sqlite:///"))
    _seed_patient_with_children(path)
    engine = create_clinic_engine(owner_database_url)
    with pytest.raises(RuntimeError, match="injected failure"):
        _upgrade_with_test_revision(engine, tmp_path, fail=True)
    state = schema_state(engine)
    columns = {c["name"] for c in inspect(engine).get_columns("patients")}
    engine.dispose()
    assert state.current == state.head
    assert "nickname" not in columns
    assert _children(path) == 5


@pytest.mark.sqlite_only
def test_older_file_is_copied_aside_before_upgrading(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    engine = create_clinic_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.begin() as connection:  # pretend the file predates the newest revision
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = 'base-before'")
        connection.exec_driver_sql("DELETE FROM alembic_version")
    engine.dispose()
    _seed_patient_with_children(path)
    engine = create_clinic_engine(f"sqlite:///{path}")
    state = schema_state(engine)
    assert state.current is None
    assert state.has_tables
    # An unversioned file with tables cannot be upgraded blindly: it is backed up first and
    # the upgrade then fails loudly because the tables already exist.
    with pytest.raises(Exception, match="already exists"):
        prepare_database(engine, now=NOW)
    engine.dispose()
    backups = list(tmp_path.glob("old.db.before-*.bak"))
    assert len(backups) == 1
    raw = sqlite3.connect(backups[0])
    assert raw.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert raw.execute("SELECT count(*) FROM test_children").fetchone()[0] == 5
    raw.close()


def test_newer_database_is_refused_untouched(owner_database_url: str) -> None:
    engine = create_clinic_engine(owner_database_url)
    with engine.begin() as connection:
        connection.exec_driver_sql("UPDATE alembic_version SET version_num = '9999'")
    with pytest.raises(DatabaseTooNew):
        prepare_database(engine, now=NOW)
    assert schema_state(engine).current == "9999"
    engine.dispose()
