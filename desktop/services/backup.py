"""Backups of a SQLite clinic file and restores from them, each copy verified before it counts.

Every copy goes through SQLite's backup API (db/backup.py), never a raw copy of a live file:
a copy of a WAL database without its -wal file can miss saves that were acknowledged. A
restore checks the backup on a private copy first (integrity, a schema this IsoTrack knows,
a whole audit chain), keeps the current file aside, then loads the copy into the live file
through the backup API, which other open connections see as one committed transaction.
"""

import socket
import sqlite3
import threading
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import NoReturn

from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from db import encryption
from db.audit import AuditActor, append_audit_entry, verify_chain
from db.backup import ProgressCallback, backup_sqlite, sqlite_file_of
from db.engine import Sessions, create_clinic_engine
from db.migrate import schema_state
from desktop.services.context import Actor, Clinic, Clock, Context, SystemClock
from desktop.services.errors import DatabaseNotReady, InputError, IsoTrackError, NotAllowed
from desktop.services.roles import Role
from desktop.services.staff import sign_in
from desktop.services.storage_check import sqlite_path_of
from desktop.services.unit_of_work import audit, unit_of_work

__all__ = ["BackupCancelled", "BackupCheck", "BackupResult", "ProgressCallback", "RestoreResult"]

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
    """A backup that was written, then verified (SQLite integrity, known schema, whole audit
    chain) on the copy itself."""

    path: Path
    schema_revision: str
    audit_entries: int
    size_bytes: int


class BackupCancelled(IsoTrackError):
    """The user cancelled the backup; no file was left behind."""

    def __init__(self) -> None:
        super().__init__("The backup was cancelled; no backup file was saved.")


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


def _read_only_engine(path: Path, key: str | None) -> Engine:
    """An engine that reads the file without writing a byte, and leaves no -wal or -shm files
    beside it. `immutable` is safe only for a file nobody writes, so not when a -wal exists.
    An encrypted file is read with `key`."""
    wal = path.with_name(path.name + "-wal")
    mode = "mode=ro" if wal.exists() else "immutable=1"
    uri = f"{path.as_uri()}?{mode}"
    return create_engine(
        encryption.driver_url(key),
        creator=lambda: encryption.connect(uri, key, uri=True),
        hide_parameters=True,
    )


def _backup_key(path: Path, clinic_database: Path | None) -> str | None:
    """The key an encrypted backup opens with: the keyring's for the clinic database it is
    restored into (a backup keeps its database's key), else for the file itself."""
    if not encryption.is_encrypted_file(path):
        return None
    try:
        return (clinic_database and encryption.stored_key(clinic_database)) or (
            encryption.stored_key(path)
        )
    except encryption.DatabaseKeyError:
        return None  # read as plain: refused as unreadable, with the keyring named


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


def check_backup(path: Path, *, key: str | None = None) -> BackupCheck:
    """Verify a backup file without changing it: SQLite integrity, a known schema, and an audit
    chain that is whole. Raises InputError naming what is wrong. An encrypted backup is read
    with `key`, else with the keyring's key for the file."""
    if not path.is_file():
        raise _refused(path, "there is no such file")
    return _verify_file(path, path, key or _backup_key(path, None))


def _verify_file(path: Path, named: Path, key: str | None) -> BackupCheck:
    """check_backup on `path`, with refusals naming `named` (the file the user chose)."""
    engine = _read_only_engine(path, key)
    try:
        return _check_open(named, engine)
    except DBAPIError as error:
        if key is not None and error.orig is not None and encryption.is_wrong_key(error.orig):
            raise _refused(named, "it is encrypted with another key than this clinic's") from None
        reason = str(error.orig) if error.orig is not None else type(error).__name__
        if key is None and encryption.is_encrypted_file(path):
            reason += "; if it is an encrypted backup, this computer's keyring holds no key for it"
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


def backup_refusal(ctx: Context) -> str | None:
    """Why this user cannot back up this clinic database from IsoTrack (not an administrator,
    or a shared PostgreSQL database), or None when `back_up_clinic` may be offered."""
    if ctx.actor.role != Role.ADMIN:
        return f"A {ctx.actor.role} account cannot back up the clinic database."
    if sqlite_file_of(ctx.clinic.engine) is None:
        return _POSTGRES_BACKUP
    return None


def back_up_clinic(
    ctx: Context,
    destination: Path,
    progress: ProgressCallback | None = None,
    *,
    replace_existing: bool = False,
    cancel: threading.Event | None = None,
) -> BackupResult:
    """Copy the clinic database into `destination` while others keep working, verify the copy,
    and record the backup in the audit trail. Administrators only; SQLite only.

    `cancel`, once set, stops the copy at its next step (about a megabyte) and raises
    BackupCancelled; the half-written temporary file is removed and `destination` untouched.
    A cancel that arrives after the copy is complete is too late: the backup is kept."""
    if ctx.actor.role != Role.ADMIN:
        raise NotAllowed(f"A {ctx.actor.role} account cannot back up the clinic database.")
    database = sqlite_file_of(ctx.clinic.engine)
    if database is None:
        raise DatabaseNotReady(_POSTGRES_BACKUP)
    destination = destination.resolve()
    _check_destination(destination, database.resolve(), replace_existing)
    _copy(ctx, destination, _cancellable(progress, cancel))
    try:
        check = check_backup(destination, key=encryption.key_of(ctx.clinic.engine))
    except InputError:
        destination.unlink(missing_ok=True)  # an unverified copy must not pass for a backup
        raise
    with unit_of_work(ctx) as session:
        audit(
            session,
            ctx,
            "database.backup",
            "database",
            None,
            new={"file": destination.name, "audit_entries": check.audit_entries},
        )
    size = destination.stat().st_size
    return BackupResult(destination, check.schema_revision, check.audit_entries, size)


def _cancellable(
    progress: ProgressCallback | None, cancel: threading.Event | None
) -> ProgressCallback | None:
    if cancel is None:
        return progress
    if cancel.is_set():
        raise BackupCancelled()

    def report(done: int, total: int) -> None:
        if progress is not None:
            progress(done, total)
        # Raising here makes SQLite abandon the copy; db.backup removes the temporary file.
        if cancel.is_set():
            raise BackupCancelled()

    return report


_CANNOT_WRITE = frozenset({"SQLITE_CANTOPEN", "SQLITE_FULL", "SQLITE_READONLY"})


def _copy(ctx: Context, destination: Path, progress: ProgressCallback | None) -> None:
    try:
        # Whichever SQLite driver opens the copy, a folder we cannot write into is an OSError.
        destination.with_name(destination.name + ".partial").touch()
        backup_sqlite(ctx.clinic.engine, destination, progress)
    except BaseException as error:
        # A failed or cancelled copy leaves nothing behind: db.backup writes the copy into
        # "<name>.partial" beside the destination and renames it only once it is whole.
        destination.with_name(destination.name + ".partial").unlink(missing_ok=True)
        _raise_for(error, destination)


def _raise_for(error: BaseException, destination: Path) -> NoReturn:
    if isinstance(error, OSError | sqlite3.OperationalError):
        cannot_write = isinstance(error, OSError) or error.sqlite_errorname in _CANNOT_WRITE
        if cannot_write:
            # SQLite's own text ("unable to open database file") names no data, only the cause.
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            raise InputError(
                f"IsoTrack could not write the backup into {destination.parent} ({reason}). "
                "Choose a folder you can save files in, with enough free space; nothing was saved."
            ) from None
    raise error


@contextmanager
def _staging_copy(source: Path, database: Path, key: str | None) -> Iterator[Path]:
    """A private copy of the backup beside the database (same disk, so the final load is
    local), made with the backup API from a read-only handle; removed afterwards."""
    staging = database.with_name(f".{database.name}.restoring")
    try:
        _remove(staging)
        engine = _read_only_engine(source, key)
        try:
            with (
                closing(engine.raw_connection()) as raw,
                closing(encryption.connect(staging, key)) as copy,
            ):
                reader = raw.driver_connection
                assert reader is not None
                reader.backup(copy)
        except (sqlite3.DatabaseError, encryption.SqlCipherDatabaseError, DBAPIError) as error:
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
    try:
        engine = create_clinic_engine(url)
    except encryption.DatabaseKeyError as error:
        raise DatabaseNotReady(str(error)) from None
    try:
        return backup_sqlite(engine, aside)
    except (sqlite3.DatabaseError, encryption.SqlCipherDatabaseError, DBAPIError) as error:
        raise DatabaseNotReady(
            f"The current database could not be copied aside ({error}); nothing was changed. "
            f"Close IsoTrack, move {database} and any -wal and -shm files beside it to a safe "
            "place, then restore again."
        ) from None
    finally:
        engine.dispose()


def _record_restore(
    staging: Path, source: Path, admin: Actor, now: datetime, key: str | None
) -> None:
    """Append the restore itself, under the administrator's name, to the copy's audit chain
    (verified again once loaded). No user id: ids in the backup may name other people."""
    engine = create_clinic_engine(f"sqlite:///{staging}", key=key)
    try:
        with Session(engine) as session, session.begin():
            actor = AuditActor(None, admin.display_name, socket.gethostname())
            append_audit_entry(
                session,
                actor,
                at=now,
                action="database.restore",
                entity="database",
                entity_id=None,
                new={"restored_from": source.name, "username": admin.username},
            )
    finally:
        engine.dispose()


def _signed_in_admin(
    url: str, staging: Path, key: str | None, username: str, password: str, clock: Clock
) -> tuple[Context | None, Actor]:
    """Who restores, checked like any sign-in (failures count towards the lockout), and who
    must be an administrator.

    Checked against the current database when there is one: it is what a restore destroys,
    so its own staff list decides, and a backup someone built with an administrator of their
    choosing cannot vouch for itself. When there is no current database (a new computer, or a
    damaged file an administrator has moved away, as the refusal to set it aside asks) there
    is nothing to protect and no other staff list: the backup's own decides. The context
    returned for the current database (None otherwise) records the restore in its trail
    before it is kept aside."""
    database = sqlite_path_of(url)
    against_current = database is not None and database.exists()
    try:
        engine = create_clinic_engine(
            url if against_current else f"sqlite:///{staging}",
            key=key if not against_current else None,
        )
    except encryption.DatabaseKeyError as error:
        raise DatabaseNotReady(str(error)) from None
    try:
        try:
            clinic = Clinic(Sessions(engine), clock, socket.gethostname())
            ctx = sign_in(clinic, username, password)
        except (sqlite3.DatabaseError, encryption.SqlCipherDatabaseError, DBAPIError) as error:
            reason = error.orig if isinstance(error, DBAPIError) else error
            raise DatabaseNotReady(
                f"The current database {database} cannot be read to check who you are "
                f"({reason}); nothing was changed. If it is damaged: close IsoTrack, move it and "
                "any -wal and -shm files beside it to a safe place, then restore again (an "
                "administrator of the backup may then restore it)."
            ) from None
        if ctx.actor.role != Role.ADMIN:
            raise NotAllowed(
                f"A {ctx.actor.role} account cannot restore the clinic database; "
                "nothing was changed."
            )
    except BaseException:
        engine.dispose()
        raise
    if not against_current:
        engine.dispose()
        return None, ctx.actor
    return ctx, ctx.actor


def _record_replacement(ctx: Context, source: Path) -> None:
    """The file about to be replaced says, in its own trail, who started the restore and from
    which backup. Written before it is copied aside, so the copy holds it; "started", because
    should the load still fail, this file stays in place with the entry."""
    try:
        with unit_of_work(ctx) as session:
            audit(session, ctx, "database.restore_started", "database", None,
                  new={"backup": source.name})  # fmt: skip
    finally:
        ctx.clinic.close()


def _load_into(
    staging: Path, database: Path, progress: ProgressCallback | None, key: str | None
) -> None:
    """Replace the live file's content with the staging copy in one SQLite transaction."""
    staged = f"{staging.as_uri()}?immutable=1"
    try:
        with (
            closing(encryption.connect(staged, key, uri=True)) as reader,
            closing(encryption.connect(database, key, timeout=30)) as target,
        ):
            reader.backup(target, pages=_PAGES_PER_STEP, progress=_adapt(progress))
    except (sqlite3.DatabaseError, encryption.SqlCipherDatabaseError) as error:
        raise DatabaseNotReady(
            f"The backup could not be loaded into {database} ({error}); the database was left "
            "as it was. Close IsoTrack everywhere on this computer and try again."
        ) from None


def _adapt(progress: ProgressCallback | None) -> Callable[[int, int, int], object] | None:
    if progress is None:
        return None
    return lambda _status, remaining, total: progress(total - remaining, total)


def restore_target(url: str) -> Path:
    """The SQLite file a restore would replace; DatabaseNotReady for a shared database
    (asked first, so nobody types a password for a restore that cannot happen)."""
    database = sqlite_path_of(url)
    if database is None:
        raise DatabaseNotReady(_POSTGRES_BACKUP)
    return database


def restore_clinic(
    url: str,
    source: Path,
    *,
    username: str,
    password: str,
    clock: Clock | None = None,
    progress: ProgressCallback | None = None,
) -> RestoreResult:
    """Replace the SQLite clinic database with a verified backup. Administrators only: the
    user signs in as for the app (see _signed_in_admin for which staff list decides). The
    backup is verified first; then the current file records the restore and is copied aside,
    and the restored copy's trail ends with the restore under the administrator's name. On
    any refusal no database is replaced (a refused sign-in is recorded as sign-ins are)."""
    source, database = source.resolve(), restore_target(url).resolve()
    if source in _companions(database):
        raise InputError("Choose a backup file, not the clinic database itself.")
    if not database.parent.is_dir():
        raise InputError(f"The folder {database.parent} does not exist; nothing was changed.")
    if not source.is_file():
        raise _refused(source, "there is no such file")
    clock = clock or SystemClock()
    key = _backup_key(source, database)
    _refuse_mixed_encryption(source, database, key)
    with _staging_copy(source, database, key) as staging:
        _verify_file(staging, source, key)
        current, admin = _signed_in_admin(url, staging, key, username, password, clock)
        now = clock.now()
        _record_restore(staging, source, admin, now, key)
        expected = _verify_file(staging, source, key)
        if current is not None:
            _record_replacement(current, source)
        aside = _set_aside(url, database, now)
        _load_into(staging, database, progress, key)
    _verify_restored(url, database, expected)
    return RestoreResult(database, source, aside, expected.schema_revision, expected.audit_entries)


def _refuse_mixed_encryption(source: Path, database: Path, key: str | None) -> None:
    """SQLite copies pages between two plain files or two files with one key, nothing else."""
    if not database.exists() or encryption.is_encrypted_file(database) == (key is not None):
        return
    if key is None:
        raise _refused(source, f"it is not encrypted and the clinic database {database} is")
    raise _refused(source, f"it is encrypted and the clinic database {database} is not")


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
