"""Alembic environment. Runs with a connection handed in by db.migrate (or from alembic.ini
for developers), with SQLite foreign keys off during batch rebuilds (TECH-NOTES §3.4)."""

from alembic import context
from sqlalchemy import Connection

import db.models  # noqa: F401  (registers every table on Base.metadata)
from db.base import Base
from db.engine import create_clinic_engine

target_metadata = Base.metadata


class ForeignKeyViolation(RuntimeError):
    pass


def _run(connection: Connection) -> None:
    sqlite = connection.dialect.name == "sqlite"
    if sqlite:
        # Batch mode rebuilds a table with DROP + RENAME; with foreign keys on, the DROP would
        # cascade and silently delete child rows. The pragma is ignored inside a transaction,
        # and SQLAlchemy would open one (db.engine emits BEGIN), so it goes to the driver.
        _driver_pragma(connection, "PRAGMA foreign_keys=OFF")
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=sqlite,
        compare_type=True,
        # SQLite's DDL is transactional (db.engine emits BEGIN itself), but Alembic assumes
        # not and would commit each revision on its own: a failure in a later revision would
        # leave the file at an intermediate one. One transaction for the whole upgrade.
        transactional_ddl=True,
    )
    with context.begin_transaction():
        context.run_migrations()
        if sqlite:
            problems = connection.exec_driver_sql("PRAGMA foreign_key_check").all()
            if problems:
                raise ForeignKeyViolation(f"foreign key violations after migration: {problems[:5]}")
    if sqlite:
        _driver_pragma(connection, "PRAGMA foreign_keys=ON")


def _driver_pragma(connection: Connection, statement: str) -> None:
    if connection.in_transaction():
        connection.commit()
    driver = connection.connection.driver_connection
    assert driver is not None
    driver.execute(statement)


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = create_clinic_engine(context.config.get_main_option("sqlalchemy.url") or "")
    with engine.connect() as own_connection:
        _run(own_connection)


if context.is_offline_mode():
    raise SystemExit("offline (SQL script) migrations are not supported; pass a database URL")
run_migrations_online()
