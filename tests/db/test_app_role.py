"""PostgreSQL: the workstations' role (issue 6, item 4). It owns nothing and holds only what
the app needs, so it can neither change audit rows nor take the append-only guards away;
`isotrack db grant-app-role ROLE` gives a role exactly that and refuses roles that would
defeat it. (The suite's PostgreSQL run connects as such a role throughout: tests/postgres.py.)
"""

import itertools
import os
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, make_url, select, text
from sqlalchemy.exc import DatabaseError

from db.audit import verify_chain
from db.engine import Sessions, create_clinic_engine
from db.models import AuditEntry
from db.privileges import audit_privileges
from desktop.cli import main
from desktop.services.context import Context
from desktop.services.database_admin import grant_application_role
from desktop.services.errors import InputError
from tests.conftest import POSTGRES_URL
from tests.postgres import APP_ROLE

_names = itertools.count(1)

# What someone holding the app's connection might try in order to rewrite history quietly.
ATTEMPTS = {
    "update": "UPDATE audit_entries SET reason = 'x' WHERE seq = 1",
    "delete": "DELETE FROM audit_entries WHERE seq = 1",
    "truncate": "TRUNCATE audit_entries",
    "disable the triggers": "ALTER TABLE audit_entries DISABLE TRIGGER USER",
    "disable one trigger": "ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_no_change",
    "drop a trigger": "DROP TRIGGER audit_entries_no_change ON audit_entries",
    "replace the trigger function": (
        "CREATE OR REPLACE FUNCTION audit_entries_append_only() RETURNS trigger "
        "LANGUAGE plpgsql AS $$ BEGIN RETURN OLD; END $$"
    ),
    "drop the trigger function": "DROP FUNCTION audit_entries_append_only() CASCADE",
    "take ownership": f"ALTER TABLE audit_entries OWNER TO {APP_ROLE}",
    "drop the table": "DROP TABLE audit_entries",
    "replace the table": "ALTER TABLE audit_entries RENAME TO audit_entries_old",
    "drop a row's constraint": "ALTER TABLE audit_entries DROP CONSTRAINT uq_audit_entries_seq",
}


@pytest.fixture
def postgres_only() -> None:
    if not POSTGRES_URL:
        pytest.skip("roles and privileges exist on PostgreSQL only; SQLite relies on triggers")


def _count_and_first(engine: Engine) -> tuple[int, str]:
    with Sessions(engine).read() as session:
        rows = session.execute(select(AuditEntry.seq, AuditEntry.reason)).all()
    return len(rows), next(reason for seq, reason in rows if seq == 1)


@pytest.mark.parametrize("attempt", list(ATTEMPTS))
def test_the_application_role_cannot_change_the_trail_or_its_guards(
    postgres_only: None, nurse_ctx: Context, database_url: str, attempt: str
) -> None:
    engine = create_clinic_engine(database_url)
    try:
        before = _count_and_first(engine)
        with engine.begin() as connection:
            assert connection.execute(text("SELECT current_user")).scalar() == APP_ROLE
        with (
            pytest.raises(DatabaseError, match=r"permission denied|must be owner"),
            engine.begin() as connection,
        ):
            connection.exec_driver_sql(ATTEMPTS[attempt])
        assert _count_and_first(engine) == before
        with Sessions(engine).read() as session:
            assert verify_chain(session).is_whole
            held = audit_privileges(session.connection(), APP_ROLE)
            triggers = session.execute(
                text(
                    "SELECT tgname, tgenabled FROM pg_trigger WHERE tgrelid = "
                    "'audit_entries'::regclass AND NOT tgisinternal ORDER BY tgname"
                )
            ).all()
    finally:
        engine.dispose()
    assert held == dict.fromkeys(held, False)
    assert [tuple(t) for t in triggers] == [
        ("audit_entries_no_change", "O"),
        ("audit_entries_no_truncate", "O"),
    ]


def test_the_application_role_may_do_what_the_app_does(
    postgres_only: None, nurse_ctx: Context
) -> None:
    """The fixtures already signed in and added staff as the app's role; this checks the
    grants are exactly SELECT and INSERT on the trail and read-only on the schema version."""
    with nurse_ctx.sessions.read() as session:
        granted = session.execute(
            text(
                "SELECT table_name, string_agg(privilege_type, ',' ORDER BY privilege_type) "
                "FROM information_schema.role_table_grants WHERE grantee = :r "
                "GROUP BY table_name"
            ),
            {"r": APP_ROLE},
        ).all()
    grants = dict(granted)  # type: ignore[arg-type]
    assert grants.pop("audit_entries") == "INSERT,SELECT"
    assert grants.pop("alembic_version") == "SELECT"
    assert set(grants.values()) == {"DELETE,INSERT,SELECT,UPDATE"}
    assert {"patients", "courses", "staff_users", "visits", "lab_results"} <= set(grants)


@pytest.fixture
def new_role(postgres_only: None, owner_database_url: str) -> Iterator[str]:
    """A fresh login role, removed afterwards with whatever it was granted."""
    assert POSTGRES_URL
    name = f"isotrack_role_{os.getpid()}_{next(_names)}"
    admin = create_engine(POSTGRES_URL, isolation_level="AUTOCOMMIT", hide_parameters=True)
    with admin.connect() as connection:
        connection.exec_driver_sql(f"CREATE ROLE {name} LOGIN PASSWORD 'x'")
    try:
        yield name
    finally:
        owner = create_engine(owner_database_url, isolation_level="AUTOCOMMIT")
        with owner.connect() as connection:
            for kind in ("TABLES", "SEQUENCES"):
                connection.exec_driver_sql(f"REVOKE ALL ON ALL {kind} IN SCHEMA public FROM {name}")
        owner.dispose()
        with admin.connect() as connection:
            connection.exec_driver_sql(f"DROP ROLE {name}")
        admin.dispose()


def test_grant_app_role_gives_a_new_role_only_what_the_app_needs(
    new_role: str, owner_database_url: str, admin_ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", owner_database_url, "db", "grant-app-role", new_role]) == 0
    out = capsys.readouterr().out
    assert f"Granted {new_role} what IsoTrack needs on" in out
    engine = create_clinic_engine(owner_database_url)
    try:
        with Sessions(engine).read() as session:
            held = audit_privileges(session.connection(), new_role)
            may_insert = session.scalar(
                text("SELECT has_table_privilege(:r, 'audit_entries', 'INSERT')"), {"r": new_role}
            )
            may_edit_patients = session.scalar(
                text("SELECT has_table_privilege(:r, 'patients', 'UPDATE')"), {"r": new_role}
            )
            last = session.execute(
                select(AuditEntry.action, AuditEntry.actor_name, AuditEntry.new_values)
                .order_by(AuditEntry.seq.desc())
                .limit(1)
            ).one()
            assert verify_chain(session).is_whole
    finally:
        engine.dispose()
    assert held == dict.fromkeys(held, False)
    assert (may_insert, may_edit_patients) == (True, True)
    assert last is not None
    assert (last.action, last.actor_name) == (
        "database.grant_app_role",
        f"database owner {make_url(owner_database_url).username}",
    )
    assert f'"role":"{new_role}"' in last.new_values


def test_grant_app_role_refuses_a_role_that_could_undo_the_guards(
    new_role: str, owner_database_url: str, admin_ctx: Context
) -> None:
    owner = make_url(owner_database_url).username or ""
    owner_engine = create_engine(owner_database_url, isolation_level="AUTOCOMMIT")
    with owner_engine.connect() as connection:
        connection.exec_driver_sql(f"GRANT {owner} TO {new_role}")  # a member of the owner
    owner_engine.dispose()
    refusals = {
        owner: "owns the tables",
        new_role: f"or is a member of '{owner}'",
        "postgres": "is a superuser",
        "nobody_at_all": "there is no role 'nobody_at_all'",
    }
    for role, words in refusals.items():
        with pytest.raises(InputError, match="Nothing was granted") as refused:
            grant_application_role(owner_database_url, role)
        assert words in str(refused.value)


def test_grant_app_role_is_for_postgresql_only(database_url: str, admin_ctx: Context) -> None:
    if POSTGRES_URL:
        pytest.skip("the SQLite refusal")
    with pytest.raises(InputError, match="Only a shared PostgreSQL database has roles"):
        grant_application_role(database_url, APP_ROLE)
