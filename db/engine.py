"""Engine and unit-of-work factory: SQLite pragmas on every connection, write transactions
that take the write lock up front, PHI kept out of SQL error text, and an encrypted SQLite file
opened through SQLCipher with its key from the keyring (db/encryption.py)."""

import logging
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, make_url, pool
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from db import encryption

SQLITE_BUSY_TIMEOUT_MS = 10_000
_WRITE_OPTION = "isotrack_write"


class _NoResultRows(logging.Filter):
    """SQLAlchemy logs result rows at DEBUG whatever `hide_parameters` says; rows hold names
    and dates of birth, so they never reach a log."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith(("Row ", "Col "))


for _name in ("sqlalchemy.engine", "sqlalchemy.engine.Engine"):
    logging.getLogger(_name).addFilter(_NoResultRows())


def create_clinic_engine(url: str, *, key: str | None = None, **kwargs: Any) -> Engine:
    """An engine for the clinic database. `hide_parameters` keeps bound values (names,
    dates of birth) out of exception text and logs.

    An encrypted SQLite file, or a `sqlite+pysqlcipher` URL, opens with `key` or else the key
    the keyring holds for the file; DatabaseKeyError says so when there is none or it does
    not open the file (checked here, so no caller meets it halfway through a save)."""
    target = encryption.keyed_url(make_url(url), key)
    if target.drivername == encryption.ENCRYPTED_DRIVER:
        # The same pool as a plain file (SQLAlchemy's SQLCipher default is one connection
        # per thread, which closes connections other threads still use).
        kwargs.setdefault("poolclass", pool.QueuePool)
    engine = create_engine(target, hide_parameters=True, **kwargs)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _on_sqlite_connect)
        event.listen(engine, "begin", _on_sqlite_begin)
    if target.drivername == encryption.ENCRYPTED_DRIVER:
        _check_key_opens(engine, Path(target.database or ""))
    return engine


def _check_key_opens(engine: Engine, path: Path) -> None:
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT count(*) FROM sqlite_master").scalar()
    except DBAPIError as error:
        engine.dispose()
        if error.orig is not None and encryption.is_wrong_key(error.orig):
            raise encryption.rejected_key(path) from None
        raise


def _on_sqlite_connect(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own implicit BEGIN is turned off so that _on_sqlite_begin decides the kind.
    dbapi_connection.isolation_level = None
    if not isinstance(dbapi_connection, sqlite3.Connection):
        # SQLCipher: the dialect has already set the key, the first statement on a connection.
        encryption.quiet_sqlcipher(dbapi_connection)
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
