"""A save that waits past the busy timeout is refused with a message, not a raw error."""

import sqlite3

import pytest

import db.engine
from desktop.services.context import open_clinic
from desktop.services.errors import DatabaseBusy
from desktop.services.patients import register_patient
from desktop.services.staff import sign_in
from tests.conftest import PASSWORD, patient_draft


@pytest.mark.sqlite_only
def test_a_save_blocked_by_another_writer_says_busy(
    database_url: str, admin_ctx: object, nurse_ctx: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(db.engine, "SQLITE_BUSY_TIMEOUT_MS", 50)
    clinic = open_clinic(database_url, workstation="second")
    ctx = sign_in(clinic, "nina", PASSWORD)
    other = sqlite3.connect(database_url.removeprefix("sqlite:///"), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another workstation in the middle of a save
    try:
        with pytest.raises(DatabaseBusy) as refused:
            register_patient(ctx, patient_draft())
    finally:
        other.execute("ROLLBACK")
        other.close()
        clinic.close()
    assert "try again" in refused.value.user_message()
