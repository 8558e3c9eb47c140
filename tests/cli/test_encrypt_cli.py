"""`isotrack db encrypt --user ADMIN`, then every command on the encrypted file: it opens with
the keyring's key; a wrong or missing key is one clear sentence on stderr, no traceback."""

from pathlib import Path

import pytest

from db import encryption
from desktop.cli import main
from tests.conftest import PASSWORD
from tests.memory_keyring import MemoryKeyring

ADMIN = ["--user", "admin"]
NAME = "Canary Zqxjv Patient"
PATIENT = ["--birth-date", "2000-01-01", "--sex-at-birth", "male", "--can-get-pregnant", "no"]


@pytest.fixture
def encrypted_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capfd: pytest.CaptureFixture[str]
) -> Path:
    path = tmp_path / "clinic.db"
    monkeypatch.setenv("ISOTRACK_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("ISOTRACK_PASSWORD", PASSWORD)
    monkeypatch.setenv("ISOTRACK_NEW_PASSWORD", PASSWORD)
    assert main(["user", "add", "admin", "--role", "admin", "--clinic-name", "Demo Clinic"]) == 0
    assert main(["patient", "add", "--mrn", "E-1", "--name", NAME, *PATIENT, *ADMIN]) == 0
    capfd.readouterr()
    assert main(["db", "encrypt", *ADMIN]) == 0
    assert f"Encrypted {path.resolve()}" in capfd.readouterr().out
    return path


def test_encrypted_clinic_file_keeps_working_from_the_command_line(
    encrypted_file: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    assert encryption.is_encrypted_file(encrypted_file)
    assert NAME.encode() not in encrypted_file.read_bytes()
    assert main(["patient", "add", "--mrn", "E-2", "--name", "Second", *PATIENT, *ADMIN]) == 0
    assert main(["audit", "verify"]) == 0
    assert "chain whole" in capfd.readouterr().out
    assert main(["db", "encrypt", *ADMIN]) == 2
    assert "already encrypted" in capfd.readouterr().err


@pytest.mark.parametrize("keyring_holds", ["a wrong key", "no key"])
def test_wrong_or_missing_key_is_one_clear_sentence(
    encrypted_file: Path,
    keyring_backend: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
    keyring_holds: str,
) -> None:
    (entry,) = keyring_backend.passwords
    if keyring_holds == "no key":
        del keyring_backend.passwords[entry]
        expected = "this computer's keyring holds no key for it"
    else:
        keyring_backend.passwords[entry] = encryption.new_key()
        expected = "the key in this computer's keyring does not open it"
    capfd.readouterr()
    assert main(["audit", "verify"]) == 6
    out, err = capfd.readouterr()
    assert err.startswith("isotrack: The clinic database ")
    assert expected in err
    assert "Traceback" not in err
    assert "hmac" not in err
    assert NAME not in err + out


def test_only_an_administrator_encrypts(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    keyring_backend: MemoryKeyring,
    capfd: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "clinic.db"
    monkeypatch.setenv("ISOTRACK_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("ISOTRACK_PASSWORD", PASSWORD)
    monkeypatch.setenv("ISOTRACK_NEW_PASSWORD", PASSWORD)
    assert main(["user", "add", "admin", "--role", "admin", "--clinic-name", "Demo Clinic"]) == 0
    assert main(["user", "add", "nina", "--role", "nurse", *ADMIN]) == 0
    assert main(["db", "encrypt", "--user", "nina"]) == 4
    assert "cannot encrypt" in capfd.readouterr().err
    assert keyring_backend.passwords == {}
    assert not encryption.is_encrypted_file(path)
