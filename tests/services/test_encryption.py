"""Encryption at rest: `encrypt_clinic_database` turns a plain clinic file into a SQLCipher one
whose bytes hold neither SQLite's header nor a patient's name; the keyring's key opens it, a
wrong or missing key is a clear refusal, and a backup of it stays encrypted and restores."""

from pathlib import Path

import pytest
from sqlalchemy import select

from db import encryption
from db.engine import create_clinic_engine
from db.models import AuditEntry
from desktop.services.backup import back_up_clinic, restore_clinic
from desktop.services.context import Clinic, Context, FixedClock, open_clinic
from desktop.services.database_admin import verify_audit_trail
from desktop.services.encryption import encrypt_clinic_database
from desktop.services.errors import DatabaseNotReady, InputError, NotAllowed
from desktop.services.patients import register_patient
from desktop.services.staff import sign_in
from tests.conftest import PASSWORD, patient_draft
from tests.memory_keyring import MemoryKeyring

pytestmark = pytest.mark.sqlite_only

CANARY = "Canary Zqxjv Patient"
SQLITE_HEADER = b"SQLite format 3\x00"


def _file(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///")).resolve()


def _companions(path: Path) -> list[Path]:
    return [path.with_name(path.name + suffix) for suffix in ("", "-wal", "-shm")]


def _assert_nothing_readable(path: Path) -> None:
    for each in _companions(path):
        if not each.exists():
            continue
        content = each.read_bytes()
        if each == path:
            assert content[:16] != SQLITE_HEADER
        for encoding in ("utf-8", "utf-16-le", "utf-16-be"):
            assert CANARY.encode(encoding) not in content, (each.name, encoding)
        assert b"Zqxjv" not in content


def _encrypted_with_canary(nurse_ctx: Context, admin_ctx: Context) -> None:
    register_patient(nurse_ctx, patient_draft(mrn="ENC-1", legal_name=CANARY))
    encrypt_clinic_database(admin_ctx)


def _reopen(url: str, clock: FixedClock) -> Clinic:
    return open_clinic(url, clock=clock, workstation="test-workstation")


def test_the_plain_file_does_hold_the_canary(nurse_ctx: Context, database_url: str) -> None:
    """The check below can fail: before encryption the name is there to be found."""
    register_patient(nurse_ctx, patient_draft(mrn="ENC-1", legal_name=CANARY))
    nurse_ctx.clinic.close()
    path = _file(database_url)
    assert path.read_bytes()[:16] == SQLITE_HEADER
    assert any(CANARY.encode() in each.read_bytes() for each in _companions(path) if each.exists())


def test_encrypted_file_holds_neither_header_nor_canary_and_opens_with_the_key(
    nurse_ctx: Context,
    admin_ctx: Context,
    database_url: str,
    clock: FixedClock,
    keyring_backend: MemoryKeyring,
) -> None:
    _encrypted_with_canary(nurse_ctx, admin_ctx)
    path = _file(database_url)
    assert list(keyring_backend.passwords) == [("IsoTrack", str(path))]
    _assert_nothing_readable(path)

    clinic = _reopen(database_url, clock)
    try:
        ctx = sign_in(clinic, "nina", PASSWORD)
        register_patient(ctx, patient_draft(mrn="ENC-2", legal_name=CANARY + " Two"))
        verification = verify_audit_trail(clinic)
        with clinic.sessions.read() as session:
            actions = session.scalars(select(AuditEntry.action)).all()
    finally:
        clinic.close()
    assert verification.is_whole
    assert actions.count("database.encrypt") == 1
    _assert_nothing_readable(path)  # written to while encrypted, -wal included


def test_pragmas_hold_on_encrypted_connections(
    nurse_ctx: Context, admin_ctx: Context, database_url: str, keyring_backend: MemoryKeyring
) -> None:
    _encrypted_with_canary(nurse_ctx, admin_ctx)
    engine = create_clinic_engine(database_url)
    try:
        with engine.connect() as connection:
            pragma = connection.exec_driver_sql
            assert pragma("PRAGMA cipher_version").scalar()  # really SQLCipher
            assert pragma("PRAGMA journal_mode").scalar() == "wal"
            assert pragma("PRAGMA synchronous").scalar() == 2  # FULL
            assert pragma("PRAGMA foreign_keys").scalar() == 1
            assert pragma("PRAGMA busy_timeout").scalar() == 10_000
            assert pragma("PRAGMA recursive_triggers").scalar() == 1
    finally:
        engine.dispose()


def test_a_wrong_key_is_a_clear_refusal(
    nurse_ctx: Context,
    admin_ctx: Context,
    database_url: str,
    clock: FixedClock,
    keyring_backend: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
) -> None:
    _encrypted_with_canary(nurse_ctx, admin_ctx)
    path = _file(database_url)
    keyring_backend.passwords[("IsoTrack", str(path))] = encryption.new_key()
    with pytest.raises(DatabaseNotReady) as refused:
        _reopen(database_url, clock)
    assert "is encrypted and the key in this computer's keyring does not open it" in str(
        refused.value
    )
    assert CANARY not in str(refused.value)
    assert "hmac" not in capfd.readouterr().err  # SQLCipher's own log stays quiet


def test_a_missing_key_is_a_clear_refusal(
    nurse_ctx: Context,
    admin_ctx: Context,
    database_url: str,
    clock: FixedClock,
    keyring_backend: MemoryKeyring,
) -> None:
    _encrypted_with_canary(nurse_ctx, admin_ctx)
    keyring_backend.passwords.clear()
    with pytest.raises(DatabaseNotReady, match="keyring holds no key for it"):
        _reopen(database_url, clock)
    with pytest.raises(DatabaseNotReady, match="keyring holds no key for it"):
        _reopen(database_url.replace("sqlite:", "sqlite+pysqlcipher:"), clock)


def test_a_key_in_the_url_is_refused(
    nurse_ctx: Context,
    admin_ctx: Context,
    database_url: str,
    clock: FixedClock,
    keyring_backend: MemoryKeyring,
) -> None:
    _encrypted_with_canary(nurse_ctx, admin_ctx)
    (key,) = keyring_backend.passwords.values()
    url = f"sqlite+pysqlcipher://:{key}@/{_file(database_url)}"
    with pytest.raises(DatabaseNotReady, match="never from the database URL"):
        _reopen(url, clock)


def test_backup_of_an_encrypted_database_stays_encrypted_and_restores(
    nurse_ctx: Context,
    admin_ctx: Context,
    database_url: str,
    clock: FixedClock,
    keyring_backend: MemoryKeyring,
    tmp_path: Path,
) -> None:
    _encrypted_with_canary(nurse_ctx, admin_ctx)
    clinic = _reopen(database_url, clock)
    try:
        admin = sign_in(clinic, "admin", PASSWORD)
        backup = back_up_clinic(admin, tmp_path / "backup.db")
    finally:
        clinic.close()
    _assert_nothing_readable(backup.path)

    result = restore_clinic(database_url, backup.path, username="admin", password=PASSWORD)
    assert result.previous_copy is not None
    _assert_nothing_readable(result.previous_copy)
    _assert_nothing_readable(_file(database_url))
    clinic = _reopen(database_url, clock)
    try:
        assert verify_audit_trail(clinic).is_whole
    finally:
        clinic.close()


def test_only_an_administrator_encrypts(nurse_ctx: Context, keyring_backend: MemoryKeyring) -> None:
    with pytest.raises(NotAllowed):
        encrypt_clinic_database(nurse_ctx)
    assert keyring_backend.passwords == {}


def test_encrypting_twice_is_refused(
    nurse_ctx: Context,
    admin_ctx: Context,
    database_url: str,
    clock: FixedClock,
    keyring_backend: MemoryKeyring,
) -> None:
    _encrypted_with_canary(nurse_ctx, admin_ctx)
    stored = dict(keyring_backend.passwords)
    clinic = _reopen(database_url, clock)
    with pytest.raises(InputError, match="already encrypted"):
        encrypt_clinic_database(sign_in(clinic, "admin", PASSWORD))
    clinic.close()
    assert keyring_backend.passwords == stored
