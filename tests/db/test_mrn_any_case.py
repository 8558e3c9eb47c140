"""Migration 0006: MRNs are unique whatever their letter case, enforced by the database; a
database already holding a-77 and A-77 is refused before anything changes (SQLite and,
with ISOTRACK_TEST_DATABASE_URL, PostgreSQL)."""

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, insert, select, text
from sqlalchemy.exc import IntegrityError

from db.engine import create_clinic_engine
from db.migrate import MigrationRefused, alembic_config, prepare_database, schema_state, upgrade
from db.models import Patient
from desktop.cli import main
from desktop.services.context import open_clinic
from desktop.services.errors import DatabaseNotReady
from desktop.services.patients import is_mrn_clash

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
BEFORE = "0005"


@pytest.fixture
def engine(owner_database_url: str) -> Iterator[Engine]:
    created = create_clinic_engine(owner_database_url)
    yield created
    created.dispose()


def _downgrade_to_before(engine: Engine) -> None:
    config = alembic_config(engine)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, BEFORE)


def _add(engine: Engine, *mrns: str) -> None:
    with engine.begin() as connection:
        for mrn in mrns:
            connection.execute(
                insert(Patient).values(
                    mrn=mrn,
                    legal_name="Test Person",
                    preferred_name="",
                    birth_date=datetime(2000, 1, 1, tzinfo=UTC).date(),
                    sex_at_birth="female",
                    ipledge_patient_id="",
                    phone="",
                    email="",
                    allergies="",
                    has_retinoid_allergy=False,
                    is_pregnant_or_breastfeeding=False,
                    guardian_name="",
                    guardian_relationship="",
                    search_text=f"test person {mrn.lower()}",
                    created_at=NOW,
                    updated_at=NOW,
                    updated_by_name="test",
                    version=1,
                )
            )


def _mrns(engine: Engine) -> list[str]:
    with engine.connect() as connection:
        return list(connection.scalars(select(Patient.mrn).order_by(Patient.mrn)))


def test_the_database_refuses_an_mrn_differing_only_in_case(engine: Engine) -> None:
    _add(engine, "A-77")
    with pytest.raises(IntegrityError) as refused:
        _add(engine, "a-77")
    assert is_mrn_clash(refused.value)
    with pytest.raises(IntegrityError) as refused:
        _add(engine, "A-77")
    assert is_mrn_clash(refused.value)
    assert _mrns(engine) == ["A-77"]


def test_another_constraint_is_not_taken_for_a_duplicate_mrn(engine: Engine) -> None:
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":
            connection.exec_driver_sql(
                "CREATE TRIGGER test_no_b BEFORE INSERT ON patients WHEN NEW.mrn = 'B-1' "
                "BEGIN SELECT RAISE(ABORT, 'test rule broken'); END"
            )
        else:
            connection.exec_driver_sql(
                "ALTER TABLE patients ADD CONSTRAINT ck_test_no_b CHECK (mrn <> 'B-1')"
            )
    with pytest.raises(IntegrityError) as refused:
        _add(engine, "B-1")
    assert not is_mrn_clash(refused.value)


def test_upgrading_adds_the_index_and_keeps_every_patient(engine: Engine) -> None:
    _downgrade_to_before(engine)
    _add(engine, "A-77", "b-78", "A-770")
    _add(engine, "a-77 ")  # differs by a space: a distinct MRN to lower(mrn) as it was
    upgrade(engine)
    assert schema_state(engine).is_current
    assert _mrns(engine) == ["A-77", "A-770", "a-77 ", "b-78"]
    with pytest.raises(IntegrityError):
        _add(engine, "B-78")


def test_mrns_differing_only_in_case_stop_the_upgrade_naming_them(engine: Engine) -> None:
    _downgrade_to_before(engine)
    _add(engine, "A-77", "a-77", "C-9", "Q-1", "q-1", "Q-2")
    with pytest.raises(MigrationRefused) as refused:
        upgrade(engine)
    message = str(refused.value)
    assert message.startswith("4 patients have MRNs that differ only in upper and lower case")
    named = message[message.index("(") + 1 : message.index(")")].split(", ")
    assert sorted(named) == ["A-77", "Q-1", "a-77", "q-1"]  # not C-9 or Q-2
    assert message.endswith("nothing was changed.")
    assert schema_state(engine).current == BEFORE
    assert _mrns(engine) == ["A-77", "C-9", "Q-1", "Q-2", "a-77", "q-1"]
    _add(engine, "c-9")  # no index was left behind either


@pytest.mark.sqlite_only  # the app upgrades only a SQLite file; a shared database, by hand
def test_opening_such_a_database_says_what_to_fix(engine: Engine, owner_database_url: str) -> None:
    _downgrade_to_before(engine)
    _add(engine, "A-77", "a-77")
    engine.dispose()
    with pytest.raises(DatabaseNotReady, match=r"^2 patients have MRNs that differ only in"):
        open_clinic(owner_database_url)
    assert schema_state(engine).current == BEFORE


def test_db_upgrade_refuses_such_a_database_with_one_clear_sentence(
    engine: Engine, owner_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _downgrade_to_before(engine)
    _add(engine, "A-77", "a-77")
    engine.dispose()
    assert main(["--db", owner_database_url, "db", "upgrade"]) == DatabaseNotReady.exit_status
    error = capsys.readouterr().err
    assert error.startswith("isotrack: 2 patients have MRNs that differ only in upper and lower")
    assert "Traceback" not in error
    assert schema_state(engine).current == BEFORE
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM patients")) == 2


@pytest.mark.sqlite_only
def test_the_app_copies_the_file_aside_before_it_refuses(
    engine: Engine, owner_database_url: str
) -> None:
    _downgrade_to_before(engine)
    _add(engine, "A-77", "a-77")
    with pytest.raises(MigrationRefused):
        prepare_database(engine, now=NOW)
    assert schema_state(engine).current == BEFORE
    path = Path(owner_database_url.removeprefix("sqlite:///"))
    [backup] = path.parent.glob(f"{path.name}.before-*.bak")
    copy = create_clinic_engine(f"sqlite:///{backup}")
    assert _mrns(copy) == ["A-77", "a-77"]
    copy.dispose()
