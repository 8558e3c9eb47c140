"""PHI hygiene: a canary patient's name, saved through the services and the command line,
never reaches the logs, command output other than the patient's own, error text, or any
file other than the database and its deliberate copies (backups). These tests exercise the
paths most likely to leak on purpose; tests/phi_canary.py watches every other test's output
and temporary files for the same canaries."""

import logging
import tempfile
import traceback
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from desktop.cli import main
from desktop.services.backup import back_up_clinic, restore_clinic
from desktop.services.clinic_setup import SetupDraft, create_first_admin
from desktop.services.context import Context, FixedClock, open_clinic
from desktop.services.database_admin import verify_audit_trail
from desktop.services.errors import NotFound, StaleEdit, ValidationFailed
from desktop.services.patients import (
    get_patient,
    patient_history,
    register_patient,
    search_patients,
    update_patient,
)
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft, add_staff, sign_in
from tests.conftest import NOW, PASSWORD, TODAY, patient_draft
from tests.phi_canary import DEDICATED_CANARY, carries_canary

CANARY = f"Canary {DEDICATED_CANARY} Patient"
TOKEN = DEDICATED_CANARY.lower()
DATABASE_COPIES = ("clinic.db", "clinic.db-wal", "clinic.db-shm", "backup.db")

pytestmark = pytest.mark.sqlite_only


def _leaks(value: str | bytes) -> bool:
    """Either canary (this file's, or the shared patient's surname), accent- and case-folded,
    so folded search text and upper-cased copies count too."""
    if isinstance(value, bytes):
        value = value.decode("utf-8", errors="replace")
    return carries_canary(value)


@pytest.fixture
def scratch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The test's folder, also used as the temporary folder, so every file written is seen."""
    temporary = tmp_path / "tmp"
    temporary.mkdir()
    monkeypatch.setenv("TMPDIR", str(temporary))
    monkeypatch.setattr(tempfile, "tempdir", str(temporary))
    yield tmp_path
    written = [
        p
        for p in tmp_path.rglob("*")
        if p.is_file() and p.name not in DATABASE_COPIES and ".bak" not in p.name
    ]
    assert [str(p) for p in written if _leaks(p.read_bytes())] == []


def _error_text(action: Callable[[], object]) -> str:
    try:
        action()
    except Exception as error:
        message = error.user_message() if hasattr(error, "user_message") else ""
        return "".join(traceback.format_exception(error)) + repr(error) + message
    raise AssertionError("the action was expected to fail")


def _signed_in(url: str) -> tuple[Context, Context]:
    clinic = open_clinic(url, clock=FixedClock(NOW), workstation="ws-1")
    admin = create_first_admin(
        clinic, SetupDraft("Clinic", StaffDraft("admin", "Ada Admin", Role.ADMIN, PASSWORD))
    )
    add_staff(admin, StaffDraft("nina", "Nina Nurse", Role.NURSE, PASSWORD))
    return admin, sign_in(clinic, "nina", PASSWORD)


def _duplicate_row(nurse: Context) -> None:
    """A constraint violation below the services, with the name among the bound values."""
    with nurse.sessions.write() as session:
        session.execute(
            text(
                "INSERT INTO patients (mrn, legal_name, preferred_name, birth_date, sex_at_birth,"
                " ipledge_patient_id, phone, email, allergies, has_retinoid_allergy,"
                " is_pregnant_or_breastfeeding, guardian_name, guardian_relationship,"
                " search_text, created_at, version, updated_at, updated_by_name) VALUES ('PHI-1',"
                " :name, '', '2001-01-01', 'female', '', '', '', '', 0, 0, '', '', :name,"
                " '2026-01-01', 1, '2026-01-01', 'x')"
            ),
            {"name": CANARY},
        )


def _exercise_services(folder: Path) -> list[str]:
    """Every service path that handles the patient; returns the error texts met on the way."""
    url = f"sqlite:///{folder / 'clinic.db'}"
    admin, nurse = _signed_in(url)
    record = register_patient(nurse, patient_draft(mrn="PHI-1", legal_name=CANARY))
    assert search_patients(nurse, TOKEN)[0].id == record.id
    saved = update_patient(nurse, record.id, record.version, patient_draft(mrn="PHI-1", phone=""))
    assert get_patient(nurse, record.id).version == saved.version
    assert patient_history(nurse, record.id)
    errors = [
        _error_text(lambda: update_patient(nurse, record.id, record.version, patient_draft())),
        _error_text(lambda: register_patient(nurse, patient_draft(mrn="PHI-1"))),
        _error_text(lambda: register_patient(nurse, patient_draft(legal_name=CANARY * 20))),
        _error_text(
            lambda: register_patient(nurse, patient_draft(birth_date=TODAY.replace(year=2099)))
        ),
        _error_text(lambda: _duplicate_row(nurse)),
        _error_text(lambda: get_patient(nurse, 999_999)),
    ]
    kinds = [StaleEdit, ValidationFailed, ValidationFailed, ValidationFailed, IntegrityError]
    for error, kind in zip(errors, [*kinds, NotFound], strict=True):
        assert kind.__name__ in error
    back_up_clinic(admin, folder / "backup.db")
    nurse.clinic.close()
    restore_clinic(url, folder / "backup.db", username="admin", password=PASSWORD)
    reopened = open_clinic(url)
    assert verify_audit_trail(reopened).is_whole
    reopened.close()
    return errors


def test_services_never_put_the_name_in_logs_or_errors(
    scratch: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy")  # every statement, as echo=True shows
    errors = _exercise_services(scratch)
    assert any("INSERT INTO patients" in r.getMessage() for r in caplog.records)
    assert [e for e in errors if _leaks(e)] == []
    assert [r.getMessage() for r in caplog.records if _leaks(r.getMessage())] == []
    assert not _leaks(caplog.text)


def test_sqlalchemy_debug_logging_never_shows_result_rows(
    scratch: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="sqlalchemy")
    _exercise_services(scratch)
    assert [r.getMessage() for r in caplog.records if _leaks(r.getMessage())] == []


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out, captured.err


PATIENT = ["--birth-date", "2001-03-14", "--sex-at-birth", "female", "--can-get-pregnant", "yes"]


def test_command_output_never_shows_the_name_except_the_patients_own(
    scratch: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.INFO, logger="sqlalchemy")
    monkeypatch.setenv("ISOTRACK_DATABASE_URL", f"sqlite:///{scratch / 'clinic.db'}")
    monkeypatch.setenv("ISOTRACK_PASSWORD", PASSWORD)
    monkeypatch.setenv("ISOTRACK_NEW_PASSWORD", PASSWORD)
    admin = ["--user", "admin"]
    add = ["patient", "add", "--name", CANARY, *PATIENT, *admin]
    runs = [
        _cli(capsys, "db", "upgrade"),
        _cli(capsys, "user", "add", "admin", "--role", "admin", "--clinic-name", "Clinic"),
        _cli(capsys, *add, "--mrn", "PHI-2"),
        _cli(capsys, *add, "--mrn", "PHI-2"),  # the MRN is taken
        _cli(capsys, *add, "--mrn", "PHI-3", "--birth-date", "14/03/2001"),
        _cli(capsys, *add, "--mrn", "PHI 4"),  # not a valid MRN
        _cli(capsys, "demo-data", "--patients", "3", *admin),
        _cli(capsys, "audit", "verify"),
        _cli(capsys, "backup", "--out", str(scratch / "backup.db"), *admin),
        _cli(capsys, "restore", str(scratch / "backup.db"), "--yes", *admin),
        _cli(capsys, "audit", "verify"),
    ]
    assert [status for status, _, _ in runs] == [0, 0, 0, 2, 2, 2, 0, 0, 0, 0, 0]
    assert [(out, err) for _, out, err in runs if _leaks(out) or _leaks(err)] == []
    # The explicit patient output does show the name: the check above can see it.
    status, out, _ = _cli(capsys, *add, "--mrn", "PHI-5", "--json")
    assert status == 0
    assert _leaks(out)
    assert not _leaks(caplog.text)
