"""Administrator actions on the database itself: upgrade the schema, verify the audit chain,
grant the workstations' PostgreSQL role its privileges."""

import socket
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from db.audit import AuditActor, append_audit_entry, verify_chain
from db.audit_coverage import check_coverage
from db.encryption import DatabaseKeyError
from db.engine import create_clinic_engine
from db.migrate import DatabaseTooNew, MigrationRefused, prepare_database, schema_state
from db.privileges import AppRoleRefused, grant_app_role
from desktop.services.context import Clinic, Clock, SystemClock
from desktop.services.errors import DatabaseNotReady, InputError
from desktop.services.storage_check import refuse_network_share


@dataclass(frozen=True, slots=True)
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None


@dataclass(frozen=True, slots=True)
class AuditVerification:
    """The chain (no entry altered, removed from the middle or inserted out of band) and what
    the chain alone cannot show: entries removed from its end, guards taken away."""

    entries: int
    chain_whole: bool
    first_broken_seq: int | None
    problem: str
    """The chain's first problem ("" when whole)."""
    missing: tuple[str, ...]
    """Append-only guards that are gone, and records whose last change has no entry."""

    @property
    def is_whole(self) -> bool:
        return self.chain_whole and not self.missing


def upgrade_clinic_database(url: str, clock: Clock | None = None) -> UpgradeResult:
    """Bring any database, shared ones included, to the current schema. A SQLite file is
    copied aside first; back up a shared PostgreSQL database with pg_dump beforehand."""
    refuse_network_share(url)
    try:
        engine = create_clinic_engine(url)
    except DatabaseKeyError as error:  # encrypted file, keyring key missing or wrong
        raise DatabaseNotReady(str(error)) from None
    try:
        before = schema_state(engine)
        backup = prepare_database(
            engine, now=(clock or SystemClock()).now(), allow_shared_upgrade=True
        )
        return UpgradeResult(before.current, before.head, backup)
    except DatabaseTooNew as error:
        raise DatabaseNotReady(
            f"This database was last used by a newer IsoTrack (schema {error}); "
            "nothing was changed."
        ) from None
    except MigrationRefused as error:
        raise DatabaseNotReady(str(error)) from None
    finally:
        engine.dispose()


def verify_audit_trail(clinic: Clinic) -> AuditVerification:
    """Walk the chain, then check it against the records themselves (db/audit_coverage.py):
    every record's last change must have its entry, and the append-only guards be in place."""
    with clinic.sessions.read() as session:
        report = verify_chain(session)
        coverage = check_coverage(session)
    return AuditVerification(
        report.entries,
        report.is_whole,
        report.first_broken_seq,
        report.problem,
        coverage.problems(),
    )


@dataclass(frozen=True, slots=True)
class AppRoleGrant:
    role: str
    owner: str
    tables: int
    sequences: int


def grant_application_role(url: str, role: str, clock: Clock | None = None) -> AppRoleGrant:
    """PostgreSQL: give `role`, the role the workstations connect as, only what the app needs
    (no UPDATE, DELETE or TRUNCATE on the audit trail, no ownership), and record it in the
    audit trail. Run as the tables' owner, after `isotrack db upgrade` (again after each one).
    A SQLite file has no roles: its audit rows are guarded by triggers."""
    try:
        engine = create_clinic_engine(url)
    except DatabaseKeyError as error:
        raise DatabaseNotReady(str(error)) from None
    try:
        if engine.dialect.name != "postgresql":
            raise InputError(
                "Only a shared PostgreSQL database has roles to grant; a SQLite clinic file is "
                "guarded by its triggers and the folder's permissions. Nothing was changed."
            )
        if not schema_state(engine).is_current:
            raise DatabaseNotReady(
                "Upgrade the database first (`isotrack db upgrade`), then grant the role; "
                "nothing was changed."
            )
        with engine.begin() as connection:
            grants = grant_app_role(connection, role)
            with Session(bind=connection) as session:
                actor = AuditActor(None, f"database owner {grants.owner}", socket.gethostname())
                append_audit_entry(
                    session, actor, at=(clock or SystemClock()).now(),
                    action="database.grant_app_role", entity="database", entity_id=None,
                    new={"role": role, "tables": grants.tables, "sequences": grants.sequences},
                )  # fmt: skip
        return AppRoleGrant(grants.role, grants.owner, grants.tables, grants.sequences)
    except AppRoleRefused as error:
        raise InputError(
            f"{role} cannot be the workstations' role: {error}. Nothing was granted."
        ) from None
    finally:
        engine.dispose()
