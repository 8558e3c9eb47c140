"""Schema state and upgrades through Alembic, with a backup before touching an older file."""

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, inspect

from db.backup import backup_sqlite, sqlite_file_of


class DatabaseTooNew(RuntimeError):
    """The database was upgraded by a newer IsoTrack than this one."""


class DatabaseNeedsUpgrade(RuntimeError):
    """A shared (non-SQLite) database is behind; an administrator upgrades it on purpose."""


class MigrationRefused(RuntimeError):
    """A migration found data it cannot carry over safely and changed nothing; the message
    says what a person must fix first."""


@dataclass(frozen=True, slots=True)
class SchemaState:
    current: str | None
    head: str
    has_tables: bool
    known: bool

    @property
    def is_current(self) -> bool:
        return self.current == self.head


def alembic_config(engine: Engine) -> Config:
    config = Config()
    config.set_main_option("script_location", "db:migrations")
    config.set_main_option("path_separator", "os")
    # ConfigParser interpolation would choke on a '%' in a password (TECH-NOTES §3.4).
    config.set_main_option("sqlalchemy.url", engine.url.render_as_string(False).replace("%", "%%"))
    return config


def schema_state(engine: Engine) -> SchemaState:
    script = ScriptDirectory.from_config(alembic_config(engine))
    head = script.get_current_head()
    assert head is not None
    with engine.connect() as connection:
        current = MigrationContext.configure(connection).get_current_revision()
        has_tables = bool(inspect(connection).get_table_names())
    return SchemaState(current, head, has_tables, _is_known(script, current))


def _is_known(script: ScriptDirectory, revision: str | None) -> bool:
    if revision is None:
        return True
    try:
        return script.get_revision(revision) is not None
    except Exception:  # alembic raises several types for an unknown id
        return False


def upgrade(engine: Engine) -> None:
    config = alembic_config(engine)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def prepare_database(
    engine: Engine, *, now: datetime, allow_shared_upgrade: bool = False
) -> Path | None:
    """Bring the schema to head, as the app does on start. An empty database is created; an
    older SQLite file is first copied aside (the copy's path is returned); a newer database,
    or an older shared one without `allow_shared_upgrade`, is refused."""
    state = schema_state(engine)
    if state.is_current:
        return None
    if not state.known:
        raise DatabaseTooNew(state.current or "")
    backup_path: Path | None = None
    if state.current is not None or state.has_tables:
        database_file = sqlite_file_of(engine)
        if database_file is not None:
            stamp = now.strftime("%Y%m%dT%H%M%S.%fZ")  # to the microsecond: never overwrite one
            backup_path = database_file.with_name(
                f"{database_file.name}.before-{state.head}-{stamp}.bak"
            )
            backup_sqlite(engine, backup_path)
        elif not allow_shared_upgrade:
            raise DatabaseNeedsUpgrade(state.current or "")
    upgrade(engine)
    return backup_path
