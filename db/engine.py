"""Engine and unit-of-work factory: SQLite pragmas on every connection, write transactions
that take the write lock up front, PHI kept out of SQL error text."""

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, sessionmaker

SQLITE_BUSY_TIMEOUT_MS = 10_000
_WRITE_OPTION = "isotrack_write"


class _NoResultRows(logging.Filter):
    """SQLAlchemy logs result rows at DEBUG whatever `hide_parameters` says; rows hold names
    and dates of birth, so they never reach a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Row ", "Col "))


for _name in ("sqlalchemy.engine", "sqlalchemy.engine.Engine"):
    logging.getLogger(_name).addFilter(_NoResultRows())


def create_clinic_engine(url: str, **kwargs: Any) -> Engine:
    """An engine for the clinic database. `hide_parameters` keeps bound values (names,
    dates of birth) out of exception text and logs."""
    engine = create_engine(url, hide_parameters=True, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    return engine


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN is turned off so that _on_sqlite_begin decides the kind.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    # FULL: an acknowledged save survives power loss, not only a crash (issue 6, item 5).
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
    # Without it, INSERT OR REPLACE deletes a clashing audit row without firing the
    # append-only DELETE trigger: a way round the guard that the tests found.
    cursor.execute("PRAGMA recursive_triggers=ON")
    cursor.close()


def _on_sqlite_begin(connection: Connection) -> None:
    # A write transaction takes the write lock at BEGIN. Otherwise two workstations could both
    # read the last audit hash and then fail, or fork the chain, when they upgrade to writing.
    immediate = connection.get_execution_options().get(_WRITE_OPTION, False)
    connection.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


class Sessions:
    """One unit of work per user action: `with sessions.write() as session:` commits on
    success and rolls back on any exception; `read()` never commits."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        writer = engine.execution_options(**{_WRITE_OPTION: True})
        self._write = sessionmaker(writer, expire_on_commit=False, autoflush=False)
        self._read = sessionmaker(engine, expire_on_commit=False, autoflush=False)

    @contextmanager
    def write(self) -> Iterator[Session]:
        with self._write.begin() as session:
            yield session

    @contextmanager
    def read(self) -> Iterator[Session]:
        with self._read() as session:
            try:
                yield session
            finally:
                session.rollback()

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name
