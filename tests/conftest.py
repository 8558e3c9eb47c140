"""Shared fixtures: offscreen Qt, a fixed clock, a migrated clinic database per test, and
signed-in users of each role."""

import os
import shutil
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import pytest
from argon2 import PasswordHasher

from db.engine import create_clinic_engine
from db.migrate import upgrade
from desktop.rules.patients import PatientDraft, RiskCategory, SexAtBirth
from desktop.services import passwords
from desktop.services.clinic_setup import SetupDraft, create_first_admin
from desktop.services.context import Clinic, Context, FixedClock, open_clinic
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft, add_staff, sign_in
from tests import postgres
from tests.memory_keyring import MemoryKeyring, memory_keyring

# The shared patient's name is the suite-wide PHI canary: no test may print or log it.
pytest_plugins = ("pytester", "tests.phi_canary")

NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)
TODAY = date(2026, 11, 20)
PASSWORD = "correct horse battery"


@pytest.fixture(scope="session", autouse=True)
def _cheap_password_hashing() -> None:
    # argon2id with tiny costs: the same code path, a thousand times faster.
    passwords.use_hasher(PasswordHasher(time_cost=1, memory_cost=64, parallelism=1))


@pytest.fixture(autouse=True)
def keyring_backend() -> Iterator[MemoryKeyring]:
    """Encryption keys go to an in-process keyring: tests never touch the OS keyring."""
    with memory_keyring() as backend:
        yield backend


POSTGRES_URL = os.environ.get("ISOTRACK_TEST_DATABASE_URL")
"""Set, the db and services suites run against PostgreSQL (fresh database per test)."""


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if not POSTGRES_URL:
        return
    skip = pytest.mark.skip(reason="SQLite-only (ISOTRACK_TEST_DATABASE_URL is set)")
    for item in items:
        if "sqlite_only" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def template_database(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A database migrated to head once per run; each test gets a copy (never create_all)."""
    if POSTGRES_URL:
        yield from postgres.template_database(POSTGRES_URL)
        return
    path = tmp_path_factory.mktemp("template") / "clinic.db"
    engine = create_clinic_engine(f"sqlite:///{path}")
    upgrade(engine)
    with engine.connect() as connection:
        connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    engine.dispose()
    yield str(path)  # noqa: PT022  (the PostgreSQL branch above has a teardown)


@pytest.fixture
def owner_database_url(template_database: str, tmp_path: Path) -> Iterator[str]:
    """A fresh clinic database at head, connected to as the role that owns its tables (on
    PostgreSQL: the role that upgrades the schema; SQLite has no roles)."""
    if POSTGRES_URL:
        yield from postgres.database_copy(POSTGRES_URL, template_database)
        return
    path = tmp_path / "clinic.db"
    shutil.copyfile(template_database, path)
    yield f"sqlite:///{path}"  # noqa: PT022


@pytest.fixture
def database_url(owner_database_url: str) -> str:
    """The same database as the workstations reach it: on PostgreSQL as the application's
    role, which owns nothing and may only read and add audit entries (tests/postgres.py)."""
    return postgres.as_app_role(owner_database_url) if POSTGRES_URL else owner_database_url


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(NOW)


@pytest.fixture
def clinic(database_url: str, clock: FixedClock) -> Iterator[Clinic]:
    opened = open_clinic(database_url, clock=clock, workstation="test-workstation")
    yield opened
    opened.close()


@pytest.fixture
def admin_ctx(clinic: Clinic) -> Context:
    admin = StaffDraft("admin", "Ada Admin", Role.ADMIN, PASSWORD)
    return create_first_admin(clinic, SetupDraft("Riverside Dermatology", admin))


def _staff_context(admin_ctx: Context, username: str, name: str, role: Role) -> Context:
    add_staff(admin_ctx, StaffDraft(username, name, role, PASSWORD))
    return sign_in(admin_ctx.clinic, username, PASSWORD)


@pytest.fixture
def nurse_ctx(admin_ctx: Context) -> Context:
    return _staff_context(admin_ctx, "nina", "Nina Nurse", Role.NURSE)


@pytest.fixture
def prescriber_ctx(admin_ctx: Context) -> Context:
    return _staff_context(admin_ctx, "drpark", "Dr Priya Park", Role.PRESCRIBER)


def patient_draft(**changes: object) -> PatientDraft:
    """A valid adult patient who can get pregnant; override any field. Her surname is a
    PHI canary (tests/phi_canary.py): keep it unless you move the canary with it."""
    fields: dict[str, object] = {
        "mrn": "MRN-1001",
        "legal_name": "Zoë O'Brien-Núñez",
        "birth_date": date(2001, 3, 14),
        "sex_at_birth": SexAtBirth.FEMALE,
        "risk_category": RiskCategory.CAN_GET_PREGNANT,
        "preferred_name": "Zo",
        "phone": "+1 555 010 2000",
        "email": "zo@example.org",
    }
    fields.update(changes)
    return PatientDraft(**fields)  # type: ignore[arg-type]
