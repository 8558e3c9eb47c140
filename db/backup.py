"""Consistent copies of a SQLite clinic file through SQLite's online backup API.

A raw file copy of a WAL database can miss committed pages still in the -wal file; the
backup API copies a consistent snapshot even while other connections write.
"""

import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import Engine

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
        assert isinstance(source, sqlite3.Connection)
        target = sqlite3.connect(temporary)
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
