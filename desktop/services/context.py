"""Who is acting, on which clinic database, at what time: passed to every service call."""

import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Protocol
from zoneinfo import ZoneInfo

import platformdirs
from sqlalchemy import Engine, select

from db.audit import AuditActor
from db.encryption import DatabaseKeyError
from db.engine import Sessions, create_clinic_engine
from db.migrate import DatabaseNeedsUpgrade, DatabaseTooNew, MigrationRefused, prepare_database
from db.models import ClinicSettings
from desktop.services.errors import DatabaseNotReady
from desktop.services.roles import Role
from desktop.services.storage_check import refuse_network_share

DATABASE_URL_VARIABLE = "ISOTRACK_DATABASE_URL"
APP_NAME = "IsoTrack"
DEFAULT_TIME_ZONE = "America/New_York"


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware."""
        ...


@dataclass(frozen=True, slots=True)
class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


@dataclass(slots=True)
class FixedClock:
    """A clock tests set by hand; `advance` moves it forward."""

    instant: datetime

    def now(self) -> datetime:
        return self.instant


def default_database_url() -> str:
    folder = Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))
    folder.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{folder / 'isotrack.db'}"


def resolve_database_url(given: str | None) -> str:
    """`--db URL`, else ISOTRACK_DATABASE_URL, else the SQLite file in the user's data folder."""
    return given or os.environ.get(DATABASE_URL_VARIABLE) or default_database_url()


@dataclass(frozen=True)
class Clinic:
    """An open clinic database: the engine's sessions, the clock and this workstation."""

    sessions: Sessions
    clock: Clock
    workstation: str

    @property
    def engine(self) -> Engine:
        return self.sessions.engine

    def time_zone(self) -> ZoneInfo:
        with self.sessions.read() as session:
            name = session.scalar(select(ClinicSettings.time_zone))
        return ZoneInfo(name or DEFAULT_TIME_ZONE)

    def today(self) -> date:
        """Today in the clinic's time zone (what a read without a signed-in user asks)."""
        return self.clock.now().astimezone(self.time_zone()).date()

    def close(self) -> None:
        self.sessions.engine.dispose()


@dataclass(frozen=True, slots=True)
class Actor:
    user_id: int
    username: str
    display_name: str
    role: Role


@dataclass(frozen=True)
class Context:
    """A signed-in user at a workstation. Services take it as their first argument."""

    clinic: Clinic
    actor: Actor
    time_zone: ZoneInfo = field(default_factory=lambda: ZoneInfo(DEFAULT_TIME_ZONE))

    @property
    def sessions(self) -> Sessions:
        return self.clinic.sessions

    def now(self) -> datetime:
        return self.clinic.clock.now().astimezone(UTC)

    def today(self) -> date:
        """Today's date in the clinic's time zone: clinical dates are local dates."""
        return self.clinic.clock.now().astimezone(self.time_zone).date()

    def audit_actor(self) -> AuditActor:
        return AuditActor(self.actor.user_id, self.actor.display_name, self.clinic.workstation)


def open_clinic(url: str, *, clock: Clock | None = None, workstation: str | None = None) -> Clinic:
    """Open (and, when needed, create or upgrade) the clinic database. An older SQLite file
    is copied aside before it is upgraded; a newer one, or one on a network share, is refused."""
    refuse_network_share(url)
    try:
        engine = create_clinic_engine(url)
    except DatabaseKeyError as error:  # encrypted file, keyring key missing or wrong
        raise DatabaseNotReady(str(error)) from None
    clock = clock or SystemClock()
    try:
        prepare_database(engine, now=clock.now())
    except DatabaseTooNew as error:
        engine.dispose()
        raise DatabaseNotReady(
            f"This database was last used by a newer IsoTrack (schema {error}). "
            "Install the newer IsoTrack on this workstation; nothing was changed."
        ) from None
    except DatabaseNeedsUpgrade:
        engine.dispose()
        raise DatabaseNotReady(
            "The shared clinic database needs an upgrade. Ask the administrator to back it up "
            "and run `isotrack db upgrade` once; nothing was changed."
        ) from None
    except MigrationRefused as error:
        engine.dispose()
        raise DatabaseNotReady(str(error)) from None
    return Clinic(Sessions(engine), clock, workstation or socket.gethostname())
