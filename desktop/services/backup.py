"""Backups of a SQLite clinic file and restores from them, each copy verified before it counts.

Every copy goes through SQLite's backup API (db/backup.py), never a raw copy of a live file:
a copy of a WAL database without its -wal file can miss saves that were acknowledged. A
restore checks the backup on a private copy first (integrity, a schema this IsoTrack knows,
a whole audit chain), keeps the current file aside, then loads the copy into the live file
through the backup API, which other open connections see as one committed transaction.
"""

import socket
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from db.audit import AuditActor, append_audit_entry, verify_chain
from db.backup import ProgressCallback, backup_sqlite, sqlite_file_of
from db.engine import create_clinic_engine
from db.migrate import schema_state
from desktop.services.context import Clock, Context, SystemClock
from desktop.services.errors import DatabaseNotReady, InputError, NotAllowed
from desktop.services.roles import Role
from desktop.services.storage_check import sqlite_path_of
from desktop.services.unit_of_work import audit, unit_of_work

__all__ = ["BackupCheck", "BackupResult", "ProgressCallback", "RestoreResult"]

_PAGES_PER_STEP = 256
_POSTGRES_BACKUP = (
    "This clinic database is a shared PostgreSQL database: back it up on the database server "
    "with pg_dump (and restore with pg_restore); IsoTrack copies only its own SQLite file."
)


@dataclass(frozen=True, slots=True)
class BackupCheck:
    """What a verified backup holds."""

    schema_revision: str
    audit_entries: int


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    schema_revision: str
    audit_entries: int


@dataclass(frozen=True, slots=True)
class RestoreResult:
    database: Path
    restored_from: Path
    previous_copy: Path | None
    """Where the database as it was before the restore was kept (None: there was none)."""
    schema_revision: str
    audit_entries: int


def _refused(path: Path, reason: str) -> InputError:
    return InputError(f"{path} cannot be used as a backup: {reason}. Nothing was changed.")


def _read_only_engine(path: Path) -> Engine:
    """An engine that reads the file without writing a byte, and leaves no -wal or -shm files
    beside it. `immutable` is safe only for a file nobody writes, so not when a -wal exists."""
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    uri = f"{path.as_uri()}?{mode}"
    return create_engine(
        "sqlite://", creator=lambda: sqlite3.connect(uri, uri=True), hide_parameters=True
    )


def _check_open(path: Path, engine: Engine) -> BackupCheck:
    with engine.connect() as connection:
        verdict = connection.exec_driver_sql("PRAGMA integrity_check").scalars().all()
    if verdict != ["ok"]:
        raise _refused(path, f"the SQLite integrity check failed ({verdict[0]})")
    state = schema_state(engine)
    if state.current is None:
        raise _refused(path, "it holds no IsoTrack schema")
    if not state.known:
        raise _refused(path, f"it was written by a newer IsoTrack (schema {state.current})")
    with Session(engine) as session:
        report = verify_chain(session)
    if not report.is_whole:
        raise _refused(path, f"its audit trail is broken at entry {report.first_broken_seq}")
    return BackupCheck(state.current, report.entries)


def check_backup(path: Path) -> BackupCheck:
    """Verify a backup file without changing it: SQLite integrity, a known schema, and an audit
    chain that is whole. Raises InputError naming what is wrong."""
    if not path.is_file():
        raise _refused(path, "there is no such file")
    return _verify_file(path, path)


def _verify_file(path: Path, named: Path) -> BackupCheck:
    """check_backup on `path`, with refusals naming `named` (the file the user chose)."""
    engine = _read_only_engine(path)
    try:
        return _check_open(named, engine)
    except DBAPIError as error:
        reason = str(error.orig) if error.orig is not None else type(error).__name__
        raise _refused(named, f"it is not a readable SQLite database ({reason})") from None
    finally:
        engine.dispose()


def _companions(path: Path) -> tuple[Path, Path, Path]:
    return path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")


def _check_destination(destination: Path, database: Path, replace_existing: bool) -> None:
    if destination in _companions(database):
        raise InputError("Choose another file for the backup, not the clinic database itself.")
    if not destination.parent.is_dir():
        raise InputError(f"The folder {destination.parent} does not exist.")
    if destination.exists() and not replace_existing:
        raise InputError(f"{destination} already exists: choose another name, or remove it first.")


def back_up_clinic(
    ctx: Context,
    destination: Path,
    progress: ProgressCallback | None = None,
    *,
    replace_existing: bool = False,
) -> BackupResult:
    """Copy the clinic database into `destination` while others keep working, verify the copy,
    and record the backup in the audit trail. Administrators only; SQLite only."""
    if ctx.actor.role != Role.ADMIN:
        raise NotAllowed(f"A {ctx.actor.role} account cannot back up the clinic database.")
    database = sqlite_file_of(ctx.clinic.engine)
    if database is None:
        raise DatabaseNotReady(_POSTGRES_BACKUP)
    destination = destination.resolve()
    _check_destination(destination, database.resolve(), replace_existing)
    backup_sqlite(ctx.clinic.engine, destination, progress)
    check = check_backup(destination)
    with unit_of_work(ctx) as session:
        audit(
            session,
            ctx,
            "database.backup",
            "database",
            None,
            new={"file": destination.name, "audit_entries": check.audit_entries},
        )
    return BackupResult(destination, check.schema_revision, check.audit_entries)


@contextmanager
def _staging_copy(source: Path, database: Path) -> Iterator[Path]:
    """A private copy of the backup beside the database (same disk, so the final load is
    local), made with the backup API from a read-only handle; removed afterwards."""
    staging = database.with_name(f".{database.name}.restoring")
    try:
        _remove(staging)
        engine = _read_only_engine(source)
        try:
            with closing(engine.raw_connection()) as raw, closing(sqlite3.connect(staging)) as copy:
                reader = raw.driver_connection
                assert isinstance(reader, sqlite3.Connection)
                reader.backup(copy)
        except (sqlite3.DatabaseError, DBAPIError) as error:
            raise _refused(source, f"it is not a readable SQLite database ({error})") from None
        finally:
            engine.dispose()
        yield staging
    finally:
        _remove(staging)


def _remove(path: Path) -> None:
    for each in _companions(path):
        each.unlink(missing_ok=True)


def _set_aside(url: str, database: Path, now: datetime) -> Path | None:
    """Copy the current database aside through the backup API; None if there is none yet."""
    if not database.exists():
        if any(path.exists() for path in _companions(database)[1:]):
            raise DatabaseNotReady(
                f"{database.name}-wal or -shm exists without {database.name}. Move them to a "
                "safe place before restoring, so they cannot be replayed into the restored file."
            )
        return None
    aside = database.with_name(f"{database.name}.before-restore-{now:%Y%m%dT%H%M%SZ}.bak")
    engine = create_clinic_engine(url)
    try:
        return backup_sqlite(engine, aside)
    except (sqlite3.DatabaseError, DBAPIError) as error:
        raise DatabaseNotReady(
            f"The current database could not be copied aside ({error}); nothing was changed. "
            f"Close IsoTrack, move {database} and any -wal and -shm files beside it to a safe "
            "place, then restore again."
        ) from None
    finally:
        engine.dispose()


def _record_restore(staging: Path, source: Path, operator: str, now: datetime) -> None:
    """Append the restore itself to the copy's audit chain (verified again once loaded)."""
    engine = create_clinic_engine(f"sqlite:///{staging}")
    try:
        with Session(engine) as session, session.begin():
            actor = AuditActor(None, operator, socket.gethostname())
            append_audit_entry(
                session,
                actor,
                at=now,
                action="database.restore",
                entity="database",
                entity_id=None,
                new={"restored_from": source.name},
            )
    finally:
        engine.dispose()


def _load_into(staging: Path, database: Path, progress: ProgressCallback | None) -> None:
    """Replace the live file's content with the staging copy in one SQLite transaction."""
    try:
        with (
            closing(sqlite3.connect(f"{staging.as_uri()}?immutable=1", uri=True)) as reader,
            closing(sqlite3.connect(database, timeout=30)) as target,
        ):
            reader.backup(target, pages=_PAGES_PER_STEP, progress=_adapt(progress))
    except sqlite3.DatabaseError as error:
        raise DatabaseNotReady(
            f"The backup could not be loaded into {database} ({error}); the database was left "
            "as it was. Close IsoTrack everywhere on this computer and try again."
        ) from None


def _adapt(progress: ProgressCallback | None) -> Callable[[int, int, int], object] | None:
    if progress is None:
        return None
    return lambda _status, remaining, total: progress(total - remaining, total)


def restore_clinic(
    url: str,
    source: Path,
    *,
    operator: str,
    clock: Clock | None = None,
    progress: ProgressCallback | None = None,
) -> RestoreResult:
    """Replace the SQLite clinic database with a verified backup. The current file is copied
    aside first; on any refusal the current database is left exactly as it was. `operator`
    names who restored, for the audit entry the restore appends."""
    database = sqlite_path_of(url)
    if database is None:
        raise DatabaseNotReady(_POSTGRES_BACKUP)
    source, database = source.resolve(), database.resolve()
    if source in _companions(database):
        raise InputError("Choose a backup file, not the clinic database itself.")
    if not database.parent.is_dir():
        raise InputError(f"The folder {database.parent} does not exist; nothing was changed.")
    if not source.is_file():
        raise _refused(source, "there is no such file")
    now = (clock or SystemClock()).now()
    with _staging_copy(source, database) as staging:
        check = _verify_file(staging, source)
        _record_restore(staging, source, operator, now)
        expected = BackupCheck(check.schema_revision, check.audit_entries + 1)
        aside = _set_aside(url, database, now)
        _load_into(staging, database, progress)
    _verify_restored(url, database, expected)
    return RestoreResult(database, source, aside, expected.schema_revision, expected.audit_entries)


def _verify_restored(url: str, database: Path, expected: BackupCheck) -> None:
    engine = create_clinic_engine(url)
    try:
        with engine.connect() as connection:
            verdict = connection.exec_driver_sql("PRAGMA integrity_check").scalar()
        with Session(engine) as session:
            report = verify_chain(session)
    finally:
        engine.dispose()
    if verdict != "ok" or not report.is_whole or report.entries != expected.audit_entries:
        raise DatabaseNotReady(
            f"The restored database {database} did not verify; the copy kept aside before the "
            "restore still holds the previous database."
        )
