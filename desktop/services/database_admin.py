"""Administrator actions on the database itself: upgrade the schema, verify the audit chain."""

from dataclasses import dataclass
from pathlib import Path

from db.audit import verify_chain
from db.encryption import DatabaseKeyError
from db.engine import create_clinic_engine
from db.migrate import DatabaseTooNew, MigrationRefused, prepare_database, schema_state
from desktop.services.context import Clinic, Clock, SystemClock
from desktop.services.errors import DatabaseNotReady
from desktop.services.storage_check import refuse_network_share


@dataclass(frozen=True, slots=True)
class UpgradeResult:
    from_revision: str | None
    to_revision: str
    backup_path: Path | None


@dataclass(frozen=True, slots=True)
class AuditVerification:
    entries: int
    is_whole: bool
    first_broken_seq: int | None
    problem: str


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
    with clinic.sessions.read() as session:
        report = verify_chain(session)
    return AuditVerification(
        report.entries, report.is_whole, report.first_broken_seq, report.problem
    )
