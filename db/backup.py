"""Consistent copies of a SQLite clinic file through SQLite's online backup API.

A raw file copy of a WAL database can miss committed pages still in the -wal file; the
backup API copies a consistent snapshot even while other connections write. The copy of an
encrypted file is encrypted with the same key.
"""

import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

from db.encryption import connect, key_of

ProgressCallback = Callable[[int, int], None]
"""(pages copied, pages in total)."""

_PAGES_PER_STEP = 256


def sqlite_file_of(engine: Engine) -> Path | None:
    """The database file behind a SQLite engine, or None for other engines and :memory:."""
    if engine.dialect.name != "sqlite":
        return None
    name = engine.url.database
    return Path(name) if name and name != ":memory:" else None


def backup_sqlite(
    engine: Engine, destination: Path, progress: ProgressCallback | None = None
) -> Path:
    """Copy the database into `destination` atomically: write a temporary file beside it,
    fsync, then rename, so a crash never leaves a half-written backup under the final name."""
    temporary = destination.with_name(destination.name + ".partial")
    temporary.unlink(missing_ok=True)
    raw = engine.raw_connection()
    try:
        source = raw.driver_connection
        assert source is not None
        # An encrypted database's copy is encrypted with the same key: SQLCipher refuses to
        # copy pages between files keyed differently, so a plaintext copy cannot happen.
        target = connect(temporary, key_of(engine))
        try:
            source.backup(target, pages=_PAGES_PER_STEP, progress=_adapt(progress))
        finally:
            target.close()
    finally:
        raw.close()
    with temporary.open("rb") as handle:
        os.fsync(handle.fileno())
    temporary.replace(destination)
    return destination


def _adapt(progress: ProgressCallback | None) -> Callable[[int, int, int], None] | None:
    if progress is None:
        return None

    def report(_status: int, remaining: int, total: int) -> None:
        progress(total - remaining, total)

    return report
