"""`isotrack backup --out FILE` and `isotrack restore FILE`, as an administrator runs them."""

import hashlib
import io
from pathlib import Path

import pytest

from desktop.cli import main
from tests.conftest import PASSWORD

ADMIN = ["--user", "admin"]
SYNTHETIC = ["--birth-date", "2000-01-01", "--sex-at-birth", "male", "--can-get-pregnant", "no"]


@pytest.fixture
def clinic_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "clinic.db"
    monkeypatch.setenv("ISOTRACK_DATABASE_URL", f"sqlite:///{path}")
    monkeypatch.setenv("ISOTRACK_PASSWORD", PASSWORD)
    monkeypatch.setenv("ISOTRACK_NEW_PASSWORD", PASSWORD)
    assert main(["user", "add", "admin", "--role", "admin", "--clinic-name", "Demo Clinic"]) == 0
    assert main(["user", "add", "nina", "--role", "nurse", *ADMIN]) == 0
    _add_patient("B-1")
    return path


def _add_patient(mrn: str) -> None:
    assert (
        main(["patient", "add", "--mrn", mrn, "--name", "Synthetic Two", *SYNTHETIC, *ADMIN]) == 0
    )


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _answer(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_backup_writes_a_verified_copy(
    clinic_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    capsys.readouterr()
    out = tmp_path / "backup.db"
    assert main(["backup", "--out", str(out), *ADMIN]) == 0
    assert f"Backed up the clinic database to {out}" in capsys.readouterr().out
    assert out.exists()
    assert main(["backup", "--out", str(out), *ADMIN]) == 2
    assert "already exists" in capsys.readouterr().err
    assert main(["backup", "--out", str(out), "--overwrite", *ADMIN]) == 0


def test_only_an_administrator_backs_up(
    clinic_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["backup", "--out", str(tmp_path / "b.db"), "--user", "nina"]) == 4
    assert "cannot back up" in capsys.readouterr().err


def test_restore_after_the_typed_confirmation(
    clinic_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backup = tmp_path / "backup.db"
    assert main(["backup", "--out", str(backup), *ADMIN]) == 0
    _add_patient("B-2")
    capsys.readouterr()
    _answer(monkeypatch, "RESTORE\n")
    assert main(["restore", str(backup), *ADMIN]) == 0
    captured = capsys.readouterr()
    assert f"replaces the clinic database {clinic_file}" in captured.err
    assert f"Restored {clinic_file} from {backup}" in captured.out
    assert "as it was before is kept in" in captured.out
    assert main(["audit", "verify"]) == 0
    # B-2 was saved after the backup, so it is gone again; the MRN is free.
    _add_patient("B-2")


@pytest.mark.parametrize("answer", ["restore\n", "yes\n", "\n", ""])
def test_restore_without_the_exact_word_changes_nothing(
    clinic_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    answer: str,
) -> None:
    backup = tmp_path / "backup.db"
    assert main(["backup", "--out", str(backup), *ADMIN]) == 0
    digest = _digest(clinic_file)
    _answer(monkeypatch, answer)
    assert main(["restore", str(backup), *ADMIN]) == 1
    assert "nothing was changed" in capsys.readouterr().err
    assert _digest(clinic_file) == digest
    assert not list(tmp_path.glob("*.before-restore-*"))


def test_restore_yes_skips_the_question(
    clinic_file: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    backup = tmp_path / "backup.db"
    assert main(["backup", "--out", str(backup), *ADMIN]) == 0
    _answer(monkeypatch, "")
    assert main(["restore", str(backup), "--yes", *ADMIN]) == 0
    assert "Type RESTORE" not in capsys.readouterr().out


def test_only_an_administrator_restores_and_the_restore_names_them(
    clinic_file: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    backup = tmp_path / "backup.db"
    assert main(["backup", "--out", str(backup), *ADMIN]) == 0
    assert main(["restore", str(backup), "--yes", "--user", "nina"]) == 4
    assert "A nurse account cannot restore the clinic database" in capsys.readouterr().err
    assert not list(tmp_path.glob("*.before-restore-*"))
    monkeypatch.setenv("ISOTRACK_PASSWORD", "not the password")
    assert main(["restore", str(backup), "--yes", *ADMIN]) == 5
    assert not list(tmp_path.glob("*.before-restore-*"))
    monkeypatch.setenv("ISOTRACK_PASSWORD", PASSWORD)
    assert main(["restore", str(backup), "--yes", *ADMIN]) == 0
    (aside,) = tmp_path.glob("*.before-restore-*")
    assert main(["--db", f"sqlite:///{aside}", "audit", "verify"]) == 0
    capsys.readouterr()
    with pytest.raises(SystemExit, match="2"):
        main(["restore", "--yes", str(backup)])  # --user is required
    assert "--user" in capsys.readouterr().err


def test_a_damaged_backup_is_refused_with_a_clear_message(
    clinic_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    junk = tmp_path / "junk.db"
    junk.write_bytes(b"this is not a database " * 200)
    digest = _digest(clinic_file)
    assert main(["restore", str(junk), "--yes", *ADMIN]) == 2
    err = capsys.readouterr().err
    assert f"{junk} cannot be used as a backup" in err
    assert "not a readable SQLite database" in err
    assert "Nothing was changed." in err
    assert _digest(clinic_file) == digest


def test_backup_of_a_postgresql_clinic_points_to_pg_dump(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("ISOTRACK_DATABASE_URL", "postgresql+psycopg://u:p@127.0.0.1:1/none")
    assert main(["restore", str(tmp_path / "b.db"), "--yes", *ADMIN]) == 6
    assert "pg_dump" in capsys.readouterr().err
