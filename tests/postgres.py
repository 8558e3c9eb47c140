"""PostgreSQL test databases: one migrated template per run, a fresh copy per test.

The tests connect to each copy as APP_ROLE, a role that does not own the tables and holds only
the privileges `isotrack db grant-app-role` gives (db/privileges.py), as a clinic's
workstations do; the template is built, and administrative tests run, as the owner (the role
of ISOTRACK_TEST_DATABASE_URL, which needs CREATEDB and CREATEROLE: see .ci/postgres).
"""

import itertools
import os
from collections.abc import Iterator

from sqlalchemy import create_engine, make_url, text

from db.engine import create_clinic_engine
from db.migrate import upgrade
from db.privileges import grant_app_role

_counter = itertools.count(1)
APP_ROLE = "isotrack_app"
_APP_PASSWORD = "isotrack-app"


def _admin(url: str):  # type: ignore[no-untyped-def]
    return create_engine(url, isolation_level="AUTOCOMMIT", hide_parameters=True)


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def as_app_role(url: str) -> str:
    """The same database, connected to as the application's role."""
    return (
        make_url(url)
        .set(username=APP_ROLE, password=_APP_PASSWORD)
        .render_as_string(hide_password=False)
    )


def _ensure_app_role(admin) -> None:  # type: ignore[no-untyped-def]
    with admin.connect() as connection:
        exists = connection.execute(
            text("SELECT 1 FROM pg_roles WHERE rolname = :r"), {"r": APP_ROLE}
        ).scalar()
        if not exists:
            connection.exec_driver_sql(f"CREATE ROLE {APP_ROLE} LOGIN PASSWORD '{_APP_PASSWORD}'")
        # Membership this way round (the owner in the app's role, never the reverse) lets
        # DROP DATABASE … WITH (FORCE) end connections a failed test left open.
        connection.exec_driver_sql(f"GRANT {APP_ROLE} TO current_user")


def template_database(url: str) -> Iterator[str]:
    name = f"isotrack_tpl_{os.getpid()}"
    admin = _admin(url)
    _ensure_app_role(admin)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    engine = create_clinic_engine(_with_database(url, name))
    upgrade(engine)
    with engine.begin() as connection:  # copied with the template into every test database
        grant_app_role(connection, APP_ROLE)
    engine.dispose()
    try:
        yield name
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def database_copy(url: str, template: str) -> Iterator[str]:
    name = f"isotrack_t_{os.getpid()}_{next(_counter)}"
    admin = _admin(url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name} TEMPLATE {template}")
    try:
        yield _with_database(url, name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()


def empty_database(url: str) -> Iterator[str]:
    """A new, empty database (no schema at all), dropped afterwards."""
    name = f"isotrack_e_{os.getpid()}_{next(_counter)}"
    admin = _admin(url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    try:
        yield _with_database(url, name)
    finally:
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        admin.dispose()
