"""PostgreSQL: the privileges of the role the workstations connect as (issue 6, item 4).

The role that owns the tables (the one that runs `isotrack db upgrade`) could switch off the
append-only triggers on `audit_entries`, so the workstations connect as another role that
holds only what the app needs: SELECT, INSERT, UPDATE and DELETE on the clinical tables,
SELECT and INSERT on the audit trail, SELECT on `alembic_version`, and the sequences that
number new rows. Without ownership it cannot ALTER, DROP or TRUNCATE anything, nor replace
the trigger function.
"""

from dataclasses import dataclass

from sqlalchemy import text
from sqlalchemy.engine import Connection

import db.models  # noqa: F401  (every table on Base.metadata)
from db.base import Base

AUDIT_TABLE = "audit_entries"
READ_ONLY_TABLES = frozenset({"alembic_version"})
APPEND_ONLY_TABLES = frozenset({AUDIT_TABLE})
ROW_PRIVILEGES = "SELECT, INSERT, UPDATE, DELETE"


class AppRoleRefused(RuntimeError):
    """The role cannot serve as the application's role; nothing was granted."""


@dataclass(frozen=True, slots=True)
class Grants:
    role: str
    owner: str
    tables: int
    sequences: int


def _quote(connection: Connection, name: str) -> str:
    return connection.dialect.identifier_preparer.quote_identifier(name)


def _refusal(connection: Connection, role: str) -> tuple[str | None, str]:
    """Why `role` must not be the app's role (or None), and the tables' owner."""
    owner = connection.execute(
        text(
            "SELECT tableowner FROM pg_tables"
            " WHERE schemaname = current_schema() AND tablename = :t"
        ),
        {"t": AUDIT_TABLE},
    ).scalar()
    if owner is None:
        return "the database has no IsoTrack schema yet: run `isotrack db upgrade` first", ""
    found = connection.execute(
        text("SELECT rolsuper FROM pg_roles WHERE rolname = :r"), {"r": role}
    ).first()
    if found is None:
        return f"there is no role {role!r}: create it first (CREATE ROLE … LOGIN PASSWORD …)", owner
    if found.rolsuper:
        return f"{role!r} is a superuser, which no privilege or trigger binds", owner
    if connection.execute(
        text("SELECT pg_has_role(:r, :o, 'MEMBER')"), {"r": role, "o": owner}
    ).scalar():
        return (
            f"{role!r} owns the tables (or is a member of {owner!r}, which does) and could "
            "switch off the audit trail's guards",
            owner,
        )
    if connection.execute(text("SELECT current_user")).scalar() != owner and not _is_super(
        connection
    ):
        return f"connect as the tables' owner {owner!r} to grant privileges", owner
    return None, owner


def _is_super(connection: Connection) -> bool:
    return bool(
        connection.execute(
            text("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        ).scalar()
    )


def grant_app_role(connection: Connection, role: str) -> Grants:
    """Give `role` exactly the application's privileges on every IsoTrack table and sequence
    of the current schema, after taking away whatever it held; run again after each upgrade
    (new tables). Raises AppRoleRefused for the owner, a member of it, or a superuser."""
    problem, owner = _refusal(connection, role)
    if problem is not None:
        raise AppRoleRefused(problem)
    who = _quote(connection, role)
    tables = _isotrack_tables(connection)
    sequences = (
        connection.execute(
            text(
                "SELECT DISTINCT s.relname FROM pg_class s"
                " JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass"
                " JOIN pg_class t ON t.oid = d.refobjid"
                " WHERE s.relkind = 'S' AND t.relname = ANY(:tables)"
                " AND t.relnamespace = current_schema()::regnamespace ORDER BY 1"
            ),
            {"tables": tables},
        )
        .scalars()
        .all()
    )
    schema = connection.execute(text("SELECT current_schema()")).scalar() or ""
    statements = [f"REVOKE ALL ON ALL {kind} IN SCHEMA {_quote(connection, schema)} FROM {who}"
                  for kind in ("TABLES", "SEQUENCES")]  # fmt: skip
    if not connection.execute(
        text("SELECT has_schema_privilege(:r, :s, 'USAGE')"), {"r": role, "s": schema}
    ).scalar():
        statements.append(f"GRANT USAGE ON SCHEMA {_quote(connection, schema)} TO {who}")
    for name in tables:
        table = _quote(connection, name)
        if name in READ_ONLY_TABLES:
            statements.append(f"GRANT SELECT ON {table} TO {who}")
        elif name in APPEND_ONLY_TABLES:
            statements.append(f"GRANT SELECT, INSERT ON {table} TO {who}")
        else:
            statements.append(f"GRANT {ROW_PRIVILEGES} ON {table} TO {who}")
    statements += [f"GRANT USAGE, SELECT ON {_quote(connection, s)} TO {who}" for s in sequences]
    for statement in statements:
        connection.exec_driver_sql(statement)
    return Grants(role, owner, len(tables), len(sequences))


def _isotrack_tables(connection: Connection) -> list[str]:
    """IsoTrack's tables in the current schema (never another application's beside them)."""
    ours = {*Base.metadata.tables, "alembic_version"}
    present = connection.execute(
        text("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY 1")
    ).scalars()
    return [name for name in present if name in ours]


def audit_privileges(connection: Connection, role: str) -> dict[str, bool]:
    """Which changes `role` may make to the audit trail (all False for a proper app role)."""
    held = {
        privilege: bool(
            connection.execute(
                text("SELECT has_table_privilege(:r, :t, :p)"),
                {"r": role, "t": AUDIT_TABLE, "p": privilege},
            ).scalar()
        )
        for privilege in ("UPDATE", "DELETE", "TRUNCATE", "TRIGGER", "REFERENCES")
    }
    owner = connection.execute(
        text("SELECT pg_has_role(:r, tableowner, 'MEMBER') FROM pg_tables "
             "WHERE schemaname = current_schema() AND tablename = :t"),
        {"r": role, "t": AUDIT_TABLE},
    ).scalar()  # fmt: skip
    return {**held, "OWNER": bool(owner)}
