"""SQLite connections: WAL, synchronous=FULL, foreign keys and a busy timeout, every time."""

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from db.engine import SQLITE_BUSY_TIMEOUT_MS, Sessions, create_clinic_engine


@pytest.mark.sqlite_only
def test_every_sqlite_connection_gets_the_safety_pragmas(database_url: str) -> None:
    engine = create_clinic_engine(database_url)
    try:
        for _ in range(2):  # a second pooled connection too
            with engine.connect() as connection:
                pragma = lambda name: connection.exec_driver_sql(f"PRAGMA {name}").scalar()  # noqa: E731
                assert pragma("journal_mode") == "wal"
                assert pragma("synchronous") == 2  # FULL
                assert pragma("foreign_keys") == 1
                assert pragma("busy_timeout") == SQLITE_BUSY_TIMEOUT_MS
    finally:
        engine.dispose()


@pytest.mark.sqlite_only
def test_write_transactions_take_the_write_lock_at_begin(database_url: str) -> None:
    engine = create_clinic_engine(database_url)
    sessions = Sessions(engine)
    try:
        with sessions.write() as session:
            session.execute(text("SELECT 1"))
            # In a BEGIN IMMEDIATE transaction SQLite already holds the reserved lock, so a
            # second writer connection cannot start; check that with a zero busy timeout.
            other = engine.raw_connection()
            try:
                other.driver_connection.execute("PRAGMA busy_timeout=0")
                try:
                    other.driver_connection.execute("BEGIN IMMEDIATE")
                    locked = False
                except Exception as error:  # sqlite3.OperationalError: database is locked
                    locked = "locked" in str(error)
            finally:
                other.close()
        assert locked
    finally:
        engine.dispose()


def test_sql_errors_do_not_echo_bound_values(database_url: str) -> None:
    engine = create_clinic_engine(database_url)
    try:
        with engine.connect() as connection, pytest.raises(DatabaseError) as failure:
            connection.execute(text("SELECT * FROM no_such_table WHERE x = :x"), {"x": "Zoë"})
        assert "Zoë" not in str(failure.value)
    finally:
        engine.dispose()
