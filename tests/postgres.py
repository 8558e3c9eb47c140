"""PostgreSQL test databases: one migrated template per run, a fresh copy per test."""

import itertools
import os
from collections.abc import Iterator

from sqlalchemy import create_engine, make_url

from db.engine import create_clinic_engine
from db.migrate import upgrade

_counter = itertools.count(1)


def _admin(url: str):  # type: ignore[no-untyped-def]
    return create_engine(url, isolation_level="AUTOCOMMIT", hide_parameters=True)


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


def template_database(url: str) -> Iterator[str]:
    name = f"isotrack_tpl_{os.getpid()}"
    admin = _admin(url)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")
        connection.exec_driver_sql(f"CREATE DATABASE {name}")
    engine = create_clinic_engine(_with_database(url, name))
    upgrade(engine)
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
