"""Entries removed from the end of the audit trail are found (issue 6): the hash chain alone
stays whole when its newest entries are deleted, so `isotrack audit verify` also checks the
trail against the records (every record's last change has its entry) and that the
append-only guards are in place (db/audit_coverage.py)."""

from collections.abc import Iterator
from datetime import timedelta

import pytest
from sqlalchemy import Engine, text

from db.audit_coverage import UNCHECKED, all_tables, classified_tables
from db.engine import create_clinic_engine
from desktop.cli import main
from desktop.services.context import Context, FixedClock
from desktop.services.database_admin import verify_audit_trail
from desktop.services.patients import register_patient, update_patient
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft, add_staff
from tests.conftest import PASSWORD, patient_draft

_SQLITE_GUARDS = {
    "audit_entries_no_update": "CREATE TRIGGER audit_entries_no_update BEFORE UPDATE ON "
    "audit_entries BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
    "audit_entries_no_delete": "CREATE TRIGGER audit_entries_no_delete BEFORE DELETE ON "
    "audit_entries BEGIN SELECT RAISE(ABORT, 'audit entries are append-only'); END",
}


def test_every_table_is_checked_or_left_out_with_a_reason() -> None:
    assert classified_tables() == all_tables()
    assert all(UNCHECKED.values())


@pytest.fixture
def owner(owner_database_url: str) -> Iterator[Engine]:
    engine = create_clinic_engine(owner_database_url)
    yield engine
    engine.dispose()


def _guards_off(owner: Engine) -> None:
    with owner.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE audit_entries DISABLE TRIGGER USER")
        else:
            for name in _SQLITE_GUARDS:
                connection.exec_driver_sql(f"DROP TRIGGER {name}")


def _guards_on(owner: Engine) -> None:
    """What a careful tamperer does afterwards: put the guards back as they were."""
    with owner.begin() as connection:
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE audit_entries ENABLE TRIGGER USER")
        else:
            for statement in _SQLITE_GUARDS.values():
                connection.exec_driver_sql(statement)


def _delete_newest(owner: Engine, count: int) -> list[str]:
    """Delete the newest `count` entries; returns their actions."""
    with owner.begin() as connection:
        newest = connection.execute(
            text("SELECT seq, action FROM audit_entries ORDER BY seq DESC LIMIT :n"), {"n": count}
        ).all()
        connection.execute(
            text("DELETE FROM audit_entries WHERE seq >= :s"), {"s": min(s for s, _ in newest)}
        )
    return [action for _, action in newest]


def _minute_later(clock: FixedClock) -> None:
    clock.instant += timedelta(minutes=1)


@pytest.fixture
def busy_day(nurse_ctx: Context, clock: FixedClock) -> dict[str, int]:
    """A nurse registers two patients and edits the first, a minute apart each."""
    _minute_later(clock)
    first = register_patient(nurse_ctx, patient_draft(mrn="COV-1"))
    _minute_later(clock)
    second = register_patient(nurse_ctx, patient_draft(mrn="COV-2", legal_name="Second One"))
    _minute_later(clock)
    edited = patient_draft(mrn="COV-1", phone="555 0100 200")
    update_patient(nurse_ctx, first.id, first.version, edited)
    return {"first": first.id, "second": second.id}


def test_a_working_clinic_verifies_whole(nurse_ctx: Context, busy_day: dict[str, int]) -> None:
    result = verify_audit_trail(nurse_ctx.clinic)
    assert (result.chain_whole, result.missing, result.is_whole) == (True, (), True)


def test_deleting_the_newest_entries_is_found_though_the_chain_stays_whole(
    nurse_ctx: Context,
    owner: Engine,
    busy_day: dict[str, int],
    database_url: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    _guards_off(owner)
    removed = _delete_newest(owner, 2)
    _guards_on(owner)
    assert removed == ["patient.update", "patient.create"]

    result = verify_audit_trail(nurse_ctx.clinic)
    assert result.chain_whole  # the chain alone cannot tell
    assert not result.is_whole
    first, second = busy_day["first"], busy_day["second"]
    assert len(result.missing) == 2
    assert result.missing[0].startswith(f"patients row {first} was written at ")
    assert f"the newest entry about patient {first} is from " in result.missing[0]
    assert result.missing[1].startswith(f"patients row {second} was written at ")
    assert f"the trail has no entry about patient {second}" in result.missing[1]

    assert main(["--db", database_url, "audit", "verify"]) == 1
    err = capsys.readouterr().err
    assert "Audit trail INCOMPLETE:" in err
    assert f"  - patients row {first} was written at 2026-11-20 15:33:00 UTC" in err
    assert "entries have been removed" in err
    assert "BROKEN" not in err


def test_removing_the_guards_is_found(
    nurse_ctx: Context, owner: Engine, busy_day: dict[str, int]
) -> None:
    _guards_off(owner)
    result = verify_audit_trail(nurse_ctx.clinic)
    assert result.chain_whole
    if nurse_ctx.sessions.dialect == "postgresql":
        expected = (
            "the append-only trigger audit_entries_no_change is switched off",
            "the append-only trigger audit_entries_no_truncate is switched off",
        )
    else:
        expected = (
            "the append-only trigger audit_entries_no_delete is missing",
            "the append-only trigger audit_entries_no_update is missing",
        )
    assert result.missing == expected


def test_a_staff_account_whose_creation_entry_is_gone_is_named(
    admin_ctx: Context, owner: Engine, clock: FixedClock
) -> None:
    _minute_later(clock)
    added = add_staff(admin_ctx, StaffDraft("newbie", "New Nurse", Role.NURSE, PASSWORD))
    _guards_off(owner)
    assert _delete_newest(owner, 1) == ["staff.create"]
    _guards_on(owner)
    result = verify_audit_trail(admin_ctx.clinic)
    assert result.missing == (
        f"staff_users row {added.id} was written at 2026-11-20 15:31:00 UTC but the trail has "
        f"no entry about staff_user {added.id}: entries have been removed",
    )
