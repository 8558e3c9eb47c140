"""Turn on encryption at rest for a SQLite clinic file (SQLCipher), the key in the OS keyring.

The plain file is exported into an encrypted copy beside it (`sqlcipher_export`) while this
process holds the write lock, the encryption is audited in the copy, and the copy is verified
(SQLite and SQLCipher integrity, a whole audit chain, the same rows in every table). Only then
is a fresh random key stored in the keyring and the copy moved over the plain file. On any
failure before that move, the plain file, its keyring entry and the folder are as they were.
"""

from collections.abc import Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from keyring.errors import KeyringError
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from db import encryption
from db.audit import append_audit_entry, verify_chain
from db.backup import sqlite_file_of
from db.encryption import KEYRING_SERVICE
from db.engine import create_clinic_engine
from desktop.services.context import Context
from desktop.services.errors import DatabaseNotReady, InputError, NotAllowed
from desktop.services.roles import Role

__all__ = ["KEYRING_SERVICE", "EncryptionResult", "encrypt_clinic_database"]

_ENCRYPTED_SCHEMA = "encrypted"
_WRITE_LOCK_WAIT_S = 10.0


@dataclass(frozen=True, slots=True)
class EncryptionResult:
    database: Path
    tables: int
    rows: int
    audit_entries: int


def encrypt_clinic_database(ctx: Context) -> EncryptionResult:
    """Encrypt the clinic's SQLite file in place, with a new key kept in this computer's
    keyring. Administrators only. The clinic `ctx` was opened on is closed afterwards: open it
    again (the encrypted file then opens with the keyring's key)."""
    if ctx.actor.role != Role.ADMIN:
        raise NotAllowed(f"A {ctx.actor.role} account cannot encrypt the clinic database.")
    found = sqlite_file_of(ctx.clinic.engine)
    if found is None:
        raise DatabaseNotReady(
            "This clinic database is a shared PostgreSQL database: IsoTrack encrypts only its "
            "own SQLite file. Use the database server's disk encryption."
        )
    database = found.resolve()
    if encryption.key_of(ctx.clinic.engine) is not None:
        raise InputError(f"The clinic database {database} is already encrypted.")
    ctx.clinic.close()  # this process's pooled connections would keep reading the plain file
    if encryption.held_open_elsewhere(database):
        raise DatabaseNotReady(
            f"The clinic database {database} is open in another program (IsoTrack or another "
            "command). Close IsoTrack on this computer and try again; nothing was changed."
        )
    key = encryption.new_key()
    staging = database.with_name(f".{database.name}.encrypting")
    _remove(staging)
    try:
        with _write_locked(database) as plain:
            _export(plain, staging, key)
            _record(ctx, staging, key)
            result = _verify(database, staging, key, _counts(plain))
            _store_key(database, key)
            try:
                _switch(plain, staging, database)
            except BaseException:
                encryption.forget_key(database)
                raise
    finally:
        _remove(staging)
    return result


@contextmanager
def _write_locked(database: Path) -> Iterator[Any]:
    """A SQLCipher connection to the plain file; a lock it cannot get is a clear refusal."""
    try:
        with closing(
            encryption.connect_for_export(
                database, isolation_level=None, timeout=_WRITE_LOCK_WAIT_S
            )
        ) as connection:
            yield connection
    except encryption.SqlCipherOperationalError as error:
        raise DatabaseNotReady(
            f"The clinic database could not be locked for encryption ({error}). Close IsoTrack "
            "on this computer and try again; nothing was changed."
        ) from None


def _export(plain: Any, staging: Path, key: str) -> None:
    encryption.attach_encrypted(plain, staging, key, _ENCRYPTED_SCHEMA)
    plain.execute("BEGIN IMMEDIATE")
    try:
        plain.execute(f"SELECT sqlcipher_export('{_ENCRYPTED_SCHEMA}')")
        plain.execute("COMMIT")
    except BaseException:
        plain.execute("ROLLBACK")
        raise
    finally:
        plain.execute(f"DETACH DATABASE {_ENCRYPTED_SCHEMA}")
    # Held until the switch: no save can land in the plain file after the copy was checked.
    plain.execute("BEGIN IMMEDIATE")


def _record(ctx: Context, staging: Path, key: str) -> None:
    """The audit entry goes into the encrypted copy only: it exists if the encryption did."""
    with _engine(staging, key) as engine, Session(engine) as session, session.begin():
        append_audit_entry(
            session,
            ctx.audit_actor(),
            at=ctx.now(),
            action="database.encrypt",
            entity="database",
            entity_id=None,
            new={"file": staging.name.removeprefix(".").removesuffix(".encrypting")},
        )


@contextmanager
def _engine(path: Path, key: str) -> Iterator[Engine]:
    engine = create_clinic_engine(f"sqlite:///{path}", key=key)
    try:
        yield engine
    finally:
        with engine.connect() as connection:
            # Everything into the file itself: the copy is moved without a -wal beside it.
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        engine.dispose()


def _tables(connection: Any) -> list[str]:
    rows = connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' "
        "ORDER BY name"
    ).fetchall()
    return [name for (name,) in rows]


def _counts(connection: Any) -> dict[str, int]:
    return {
        table: connection.execute(f'SELECT count(*) FROM "{table}"').fetchone()[0]
        for table in _tables(connection)
    }


def _verify(database: Path, staging: Path, key: str, plain: dict[str, int]) -> EncryptionResult:
    def refused(reason: str) -> DatabaseNotReady:
        return DatabaseNotReady(
            f"The encrypted copy of {database} did not verify ({reason}). The clinic database "
            "was left as it was, unencrypted, and no key was stored."
        )

    if not encryption.is_encrypted_file(staging):
        raise refused("it does not look encrypted")
    with _engine(staging, key) as engine:
        with closing(engine.raw_connection()) as raw:
            copy = raw.driver_connection
            verdict = _rows(copy, "PRAGMA integrity_check")
            cipher_problems = _rows(copy, "PRAGMA cipher_integrity_check")
            counts = _counts(copy)
        with Session(engine) as session:
            report = verify_chain(session)
    if verdict != [("ok",)]:
        raise refused(f"SQLite integrity check: {verdict[0][0]}")
    if cipher_problems:
        raise refused(f"SQLCipher integrity check: {cipher_problems[0][0]}")
    if not report.is_whole:
        raise refused(f"audit trail broken at entry {report.first_broken_seq}")
    expected = {**plain, "audit_entries": plain.get("audit_entries", 0) + 1}
    if counts != expected:
        differing = sorted(
            t for t in expected.keys() | counts.keys() if counts.get(t) != expected.get(t)
        )
        raise refused(f"row counts differ in {', '.join(differing)}")
    return EncryptionResult(database, len(counts), sum(counts.values()), report.entries)


def _rows(connection: Any, statement: str) -> list[tuple[Any, ...]]:
    return [tuple(row) for row in connection.execute(statement).fetchall()]


def _store_key(database: Path, key: str) -> None:
    try:
        encryption.store_key(database, key)
    except KeyringError as error:
        raise DatabaseNotReady(
            f"This computer's keyring could not store the key ({type(error).__name__}), so "
            f"{database} was left as it was, unencrypted. Encrypt from a desktop session with "
            "a keyring (README, Encryption at rest)."
        ) from None


def _switch(plain: Any, staging: Path, database: Path) -> None:
    """Move the encrypted copy over the plain file. The plain file's WAL is folded in and
    removed first: left beside the new file, it would be replayed into it."""
    plain.execute("ROLLBACK")
    mode = plain.execute("PRAGMA journal_mode=DELETE").fetchone()[0]
    wal, shm = (database.with_name(database.name + suffix) for suffix in ("-wal", "-shm"))
    if mode != "delete" or wal.exists():
        raise DatabaseNotReady(
            f"The clinic database's write-ahead log could not be closed ({mode}); it was left "
            "as it was, unencrypted. Close IsoTrack on this computer and try again."
        )
    shm.unlink(missing_ok=True)
    staging.replace(database)


def _remove(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
