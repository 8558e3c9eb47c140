"""The audit chain: append-only in the database, and any tampering is found and named."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from db.audit import AuditActor, append_audit_entry, verify_chain
from db.engine import Sessions, create_clinic_engine

ACTOR = AuditActor(1, "Nina Nurse", "ws-1")
AT = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def owner(owner_database_url: str) -> Iterator[Sessions]:
    """The role that owns the tables (PostgreSQL; on SQLite the same file)."""
    sessions = Sessions(create_clinic_engine(owner_database_url))
    yield sessions
    sessions.engine.dispose()


@pytest.fixture
def sessions(database_url: str, owner: Sessions) -> Iterator[Sessions]:
    """The application's connection, with five entries on the chain."""
    sessions = Sessions(create_clinic_engine(database_url))
    with sessions.write() as session:
        for n in range(5):
            append_audit_entry(
                session,
                ACTOR,
                at=AT,
                action="patient.update",
                entity="patient",
                entity_id=7,
                patient_id=7,
                old={"phone": n},
                new={"phone": n + 1},
            )
    yield sessions
    sessions.engine.dispose()


def test_an_untouched_chain_verifies(sessions: Sessions) -> None:
    with sessions.read() as session:
        report = verify_chain(session)
    assert (report.entries, report.is_whole) == (5, True)


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_entries SET reason = 'edited' WHERE seq = 2",
        "DELETE FROM audit_entries WHERE seq = 2",
    ],
)
@pytest.mark.parametrize("who", ["application", "owner"])
def test_the_database_refuses_to_change_audit_rows(
    sessions: Sessions, owner: Sessions, statement: str, who: str
) -> None:
    """The app's PostgreSQL role is refused by its privileges before the trigger is reached;
    the owner, and anyone with the SQLite file, by the append-only trigger."""
    acting = sessions if who == "application" else owner
    refusal = "append-only"
    if who == "application" and acting.dialect == "postgresql":
        refusal = "permission denied for table audit_entries"
    with pytest.raises(DatabaseError, match=refusal), acting.write() as session:
        session.execute(text(statement))


def _tamper(owner: Sessions, statement: str) -> None:
    """What the tables' owner, or someone with the file and a SQLite shell, could do: drop
    the guards, then edit."""
    with owner.engine.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE audit_entries DISABLE TRIGGER USER")
        else:
            connection.exec_driver_sql("DROP TRIGGER audit_entries_no_update")
            connection.exec_driver_sql("DROP TRIGGER audit_entries_no_delete")
        connection.exec_driver_sql(statement)


@pytest.mark.parametrize(
    ("statement", "broken_seq", "words"),
    [
        ("UPDATE audit_entries SET new_values = '{\"phone\":99}' WHERE seq = 3", 3, "altered"),
        ("DELETE FROM audit_entries WHERE seq = 2", 2, "missing"),
        ("UPDATE audit_entries SET actor_name = 'Someone' WHERE seq = 5", 5, "altered"),
        (
            "INSERT INTO audit_entries (seq, at, actor_id, actor_name, workstation, action, entity,"
            " entity_id, patient_id, old_values, new_values, reason, prev_hash, hash) VALUES (6,"
            " '2026-11-20 12:00:00', 1, 'x', 'x', 'x', 'x', 1, 1, '{}', '{}', '', 'bad', 'fake')",
            6,
            "does not follow",
        ),
    ],
)
def test_tampering_is_found_at_the_first_broken_row(
    sessions: Sessions, owner: Sessions, statement: str, broken_seq: int, words: str
) -> None:
    _tamper(owner, statement)
    with sessions.read() as session:
        report = verify_chain(session)
    assert report.first_broken_seq == broken_seq
    assert words in report.problem
