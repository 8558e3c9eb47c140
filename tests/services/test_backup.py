"""Backup and restore: copies made while another process writes restore whole, the automatic
pre-migration backup restores, and a wrong or damaged file is refused with the current
database untouched."""

import hashlib
import sqlite3
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import select, text

from db.audit import AuditActor, append_audit_entry, verify_chain
from db.engine import Sessions, create_clinic_engine
from db.migrate import alembic_config, schema_state
from db.models import AuditEntry
from desktop.services.backup import back_up_clinic, check_backup, restore_clinic
from desktop.services.context import Context, FixedClock, open_clinic
from desktop.services.demo_data import create_demo_patients
from desktop.services.errors import AuthenticationFailed, DatabaseNotReady, InputError, NotAllowed
from desktop.services.passwords import hash_password
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft, add_staff, find_staff, set_staff_active
from tests.conftest import NOW, PASSWORD, POSTGRES_URL
from tests.services.crash_worker import Workstation, assert_audited, patients_of

ADMIN = {"username": "admin", "password": PASSWORD}
BACKUPS_WHILE_WRITING = 3
SAVES_BETWEEN_BACKUPS = 10
DEMO_PATIENTS = 1500


def _path(url: str) -> Path:
    return Path(url.removeprefix("sqlite:///"))


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _backup_waiting_for_a_commit(
    ctx: Context, destination: Path, writer: Workstation
) -> list[tuple[int, int]]:
    """Back up, and after the first step let the writer commit a save before going on, so
    that another process changes the database in the middle of the copy every time."""
    steps: list[tuple[int, int]] = []
    # Two more: one save may already be on its way before the first step starts.
    during = writer.read_saves() + 2

    def progress(done: int, total: int) -> None:
        if not steps:
            writer.wait_for_saves(during)
        steps.append((done, total))

    back_up_clinic(ctx, destination, progress)
    return steps


@pytest.mark.sqlite_only
def test_backups_taken_while_another_process_writes_restore_whole(
    admin_ctx: Context, nurse_ctx: Context, database_url: str, tmp_path: Path
) -> None:
    create_demo_patients(admin_ctx, DEMO_PATIENTS, seed=7)  # > 1 MB: several backup steps
    writer = Workstation(database_url, "nina", PASSWORD, tag="BW", seed=1)
    taken: list[tuple[Path, set[int], list[tuple[int, int]]]] = []
    try:
        for number in range(BACKUPS_WHILE_WRITING):
            writer.wait_for_saves((number + 1) * SAVES_BETWEEN_BACKUPS)
            acknowledged = set(writer.created_ids())
            destination = tmp_path / f"backup-{number}.db"
            steps = _backup_waiting_for_a_commit(admin_ctx, destination, writer)
            taken.append((destination, acknowledged, steps))
        writer.wait_for_saves(len(writer.lines) + SAVES_BETWEEN_BACKUPS)  # it kept writing
    finally:
        writer.kill()
    written = set(writer.created_ids())
    for number, (backup, acknowledged_before, steps) in enumerate(taken):
        assert steps[-1][0] == steps[-1][1] > 256  # more pages than one backup step
        restored = tmp_path / f"restored-{number}.db"
        result = restore_clinic(f"sqlite:///{restored}", backup, **ADMIN)
        assert result.previous_copy is None  # there was no database there before
        patients = patients_of(restored)
        worker_rows = {pid for pid, (mrn, _) in patients.items() if mrn.startswith("BW-")}
        assert acknowledged_before <= worker_rows <= written
        assert len(patients) == DEMO_PATIENTS + len(worker_rows)
        assert_audited(restored)
        assert check_backup(restored).audit_entries == result.audit_entries


def _old_clinic_file(path: Path) -> Sessions:
    """A clinic file at schema 0001 holding its administrator and one patient, each with its
    audit entry."""
    engine = create_clinic_engine(f"sqlite:///{path}")
    config = alembic_config(engine)
    with engine.connect() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    sessions = Sessions(engine)
    at = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
    with sessions.write() as session:
        append_audit_entry(
            session, AuditActor(None, "setup", "ws"), at=at, action="staff.create",
            entity="staff_user", entity_id=1, new={"username": "admin"},
        )  # fmt: skip
        append_audit_entry(
            session, AuditActor(None, "setup", "ws"), at=at, action="patient.create",
            entity="patient", entity_id=1, patient_id=1, new={"mrn": "OLD-1"},
        )  # fmt: skip
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO staff_users (id, username, display_name, role, password_hash,"
                " is_active, failed_logins, created_at, version, updated_at, updated_by_name)"
                " VALUES (1, 'admin', 'Ada Admin', 'admin', :hash, 1, 0,"
                " '2026-01-05 09:00:00', 1, '2026-01-05 09:00:00', 'setup')"
            ),
            {"hash": hash_password(PASSWORD)},
        )
        connection.exec_driver_sql(
            "INSERT INTO patients (id, mrn, legal_name, preferred_name, birth_date, sex_at_birth,"
            " ipledge_patient_id, phone, email, allergies, has_retinoid_allergy,"
            " is_pregnant_or_breastfeeding, guardian_name, guardian_relationship, search_text,"
            " created_at, version, updated_at, updated_by_name) VALUES (1, 'OLD-1',"
            " 'Synthetic Old', '', '2000-01-01', 'male', '', '', '', '', 0, 0, '', '',"
            " 'synthetic old old-1', '2026-01-05 09:00:00', 1, '2026-01-05 09:00:00', 'setup')"
        )
    return sessions


@pytest.mark.sqlite_only
def test_the_automatic_backup_before_a_migration_is_restorable(tmp_path: Path) -> None:
    path = tmp_path / "isotrack.db"
    _old_clinic_file(path).engine.dispose()
    url = f"sqlite:///{path}"
    open_clinic(url, clock=FixedClock(NOW)).close()  # upgrades, after copying the file aside
    (pre_migration,) = tmp_path.glob("isotrack.db.before-*.bak")
    assert check_backup(pre_migration).schema_revision == "0001"

    result = restore_clinic(url, pre_migration, **ADMIN, clock=FixedClock(NOW))

    assert result.schema_revision == "0001"
    assert result.audit_entries == 3  # the admin's and the patient's entries, the restore
    assert result.previous_copy is not None
    assert result.previous_copy.exists()
    engine = create_clinic_engine(url)
    assert schema_state(engine).current == "0001"
    with Sessions(engine).read() as session:
        assert verify_chain(session).is_whole
        actions = session.scalars(select(AuditEntry.action).order_by(AuditEntry.seq)).all()
    engine.dispose()
    assert actions == ["staff.create", "patient.create", "database.restore"]
    assert set(patients_of(path)) == {1}
    later = FixedClock(NOW + timedelta(minutes=1))  # backups are named to the second
    open_clinic(url, clock=later).close()  # it upgrades again as usual, after another copy
    upgrades = [p for p in tmp_path.glob("isotrack.db.before-*.bak") if "restore" not in p.name]
    assert len(upgrades) == 2


def _garbage(path: Path) -> None:
    path.write_bytes(b"not a database at all " * 500)


def _empty(path: Path) -> None:
    path.write_bytes(b"")


def _foreign_sqlite(path: Path) -> None:
    path.unlink()
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE recipes (name TEXT)")
    raw.close()


def _truncated(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


def _newer_schema(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("UPDATE alembic_version SET version_num = '9999'")
    raw.close()


def _broken_chain(path: Path) -> None:
    with sqlite3.connect(path) as raw:
        raw.execute("DROP TRIGGER audit_entries_no_update")
        raw.execute("UPDATE audit_entries SET actor_name = 'Someone else' WHERE seq = 2")
    raw.close()


def _flipped_page(path: Path) -> None:
    data = bytearray(path.read_bytes())
    page = 4096 * 3  # a b-tree page well inside the file
    data[page + 8 : page + 64] = bytes(56)
    path.write_bytes(bytes(data))


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("spoil", "words"),
    [
        (_garbage, "not a readable SQLite database"),
        (_empty, "holds no IsoTrack schema"),
        (_foreign_sqlite, "holds no IsoTrack schema"),
        (_truncated, "integrity check failed|not a readable SQLite database"),
        (_flipped_page, "integrity check failed|not a readable SQLite database"),
        (_newer_schema, "written by a newer IsoTrack"),
        (_broken_chain, "audit trail is broken at entry 2"),
    ],
)
def test_a_wrong_or_damaged_backup_is_refused_and_nothing_changes(
    admin_ctx: Context,
    nurse_ctx: Context,
    database_url: str,
    tmp_path: Path,
    spoil: Callable[[Path], None],
    words: str,
) -> None:
    backup = tmp_path / "backup.db"
    back_up_clinic(admin_ctx, backup)
    spoil(backup)
    admin_ctx.clinic.close()
    database = _path(database_url)
    before = sorted(p.name for p in database.parent.iterdir())
    digest = _digest(database)
    with pytest.raises(InputError, match=words) as refused:
        restore_clinic(database_url, backup, **ADMIN)
    assert str(backup) in refused.value.user_message()
    assert "Nothing was changed" in refused.value.user_message()
    assert _digest(database) == digest
    assert sorted(p.name for p in database.parent.iterdir()) == before


@pytest.mark.sqlite_only
def test_a_missing_file_or_the_database_itself_is_refused(
    admin_ctx: Context, database_url: str, tmp_path: Path
) -> None:
    with pytest.raises(InputError, match="no such file"):
        restore_clinic(database_url, tmp_path / "nowhere.db", **ADMIN)
    with pytest.raises(InputError, match="not the clinic database itself"):
        restore_clinic(database_url, _path(database_url), **ADMIN)


def _trail(path: Path) -> list[tuple[str, str, str]]:
    engine = create_clinic_engine(f"sqlite:///{path}")
    with Sessions(engine).read() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.actor_name, AuditEntry.new_values).order_by(
                AuditEntry.seq
            )
        ).all()
    engine.dispose()
    return [tuple(row) for row in rows]  # type: ignore[misc]


@pytest.mark.sqlite_only
def test_restore_keeps_the_current_database_aside(
    admin_ctx: Context, nurse_ctx: Context, database_url: str, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.db"
    back_up_clinic(admin_ctx, backup)
    create_demo_patients(admin_ctx, 5, seed=3)  # saved after the backup
    admin_ctx.clinic.close()
    result = restore_clinic(database_url, backup, **ADMIN)
    assert patients_of(_path(database_url)) == {}
    assert result.previous_copy is not None
    assert len(patients_of(result.previous_copy)) == 5
    assert check_backup(result.previous_copy).audit_entries > check_backup(backup).audit_entries
    # Both trails say who restored: the restored one ends with the restore, under the
    # administrator's name; the one kept aside with their sign-in and what replaced it.
    assert _trail(_path(database_url))[-1] == (
        "database.restore",
        "Ada Admin",
        '{"restored_from":"backup.db","username":"admin"}',
    )
    assert [entry[:2] for entry in _trail(result.previous_copy)[-2:]] == [
        ("session.sign_in", "Ada Admin"),
        ("database.restore_started", "Ada Admin"),
    ]
    assert _trail(result.previous_copy)[-1][2] == '{"backup":"backup.db"}'


@pytest.mark.sqlite_only
@pytest.mark.parametrize("who", ["nurse", "prescriber"])
def test_only_an_administrator_restores(
    admin_ctx: Context,
    nurse_ctx: Context,
    prescriber_ctx: Context,
    database_url: str,
    tmp_path: Path,
    who: str,
) -> None:
    backup = tmp_path / "backup.db"
    back_up_clinic(admin_ctx, backup)
    create_demo_patients(admin_ctx, 5, seed=3)
    username = {"nurse": "nina", "prescriber": "drpark"}[who]
    with pytest.raises(NotAllowed, match=f"A {who} account cannot restore"):
        restore_clinic(database_url, backup, username=username, password=PASSWORD)
    assert len(patients_of(_path(database_url))) == 5
    assert not list(tmp_path.glob("*.before-restore-*"))
    with pytest.raises(AuthenticationFailed):
        restore_clinic(database_url, backup, username="admin", password="wrong password")
    assert len(patients_of(_path(database_url))) == 5


@pytest.mark.sqlite_only
def test_the_current_staff_list_decides_not_the_backups(
    admin_ctx: Context, database_url: str, tmp_path: Path
) -> None:
    """An administrator of the backup who is not one here cannot replace this database: the
    backup cannot vouch for itself."""
    add_staff(admin_ctx, StaffDraft("boss", "Old Boss", Role.ADMIN, PASSWORD))
    backup = tmp_path / "backup.db"
    back_up_clinic(admin_ctx, backup)
    boss = find_staff(admin_ctx, "boss")
    set_staff_active(admin_ctx, boss.id, boss.version, active=False)
    with pytest.raises(AuthenticationFailed, match="deactivated"):
        restore_clinic(database_url, backup, username="boss", password=PASSWORD)
    assert not list(tmp_path.glob("*.before-restore-*"))


@pytest.mark.sqlite_only
def test_with_no_current_database_an_administrator_of_the_backup_restores(
    admin_ctx: Context, nurse_ctx: Context, tmp_path: Path
) -> None:
    backup = tmp_path / "backup.db"
    back_up_clinic(admin_ctx, backup)
    fresh = tmp_path / "new-computer" / "isotrack.db"
    fresh.parent.mkdir()
    with pytest.raises(NotAllowed, match="A nurse account cannot restore"):
        restore_clinic(f"sqlite:///{fresh}", backup, username="nina", password=PASSWORD)
    assert not fresh.exists()
    result = restore_clinic(f"sqlite:///{fresh}", backup, **ADMIN)
    assert result.previous_copy is None
    assert [entry[:2] for entry in _trail(fresh)[-2:]] == [
        ("session.sign_in", "Ada Admin"),
        ("database.restore", "Ada Admin"),
    ]


@pytest.mark.sqlite_only
def test_backup_is_audited_and_verified(admin_ctx: Context, tmp_path: Path) -> None:
    result = back_up_clinic(admin_ctx, tmp_path / "b.db")
    assert result.audit_entries == check_backup(result.path).audit_entries
    with admin_ctx.sessions.read() as session:
        last = session.execute(
            select(AuditEntry.action, AuditEntry.actor_name, AuditEntry.new_values).order_by(
                AuditEntry.seq.desc()
            )
        ).first()
    assert tuple(last or ()) == (
        "database.backup",
        "Ada Admin",
        f'{{"audit_entries":{result.audit_entries},"file":"b.db"}}',
    )


@pytest.mark.sqlite_only
def test_backup_refuses_to_overwrite_or_to_target_the_database(
    admin_ctx: Context, database_url: str, tmp_path: Path
) -> None:
    existing = tmp_path / "old-backup.db"
    existing.write_bytes(b"keep me")
    with pytest.raises(InputError, match="already exists"):
        back_up_clinic(admin_ctx, existing)
    assert existing.read_bytes() == b"keep me"
    back_up_clinic(admin_ctx, existing, replace_existing=True)
    assert check_backup(existing).audit_entries > 0
    with pytest.raises(InputError, match="not the clinic database itself"):
        back_up_clinic(admin_ctx, _path(database_url), replace_existing=True)
    with pytest.raises(InputError, match="does not exist"):
        back_up_clinic(admin_ctx, tmp_path / "no-folder" / "b.db")


def test_only_administrators_back_up(nurse_ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(NotAllowed, match="cannot back up"):
        back_up_clinic(nurse_ctx, tmp_path / "b.db")
    assert not (tmp_path / "b.db").exists()


@pytest.mark.skipif(not POSTGRES_URL, reason="a PostgreSQL clinic database")
def test_a_postgresql_clinic_is_pointed_to_pg_dump(admin_ctx: Context, tmp_path: Path) -> None:
    with pytest.raises(DatabaseNotReady, match="pg_dump"):
        back_up_clinic(admin_ctx, tmp_path / "b.db")


def test_restoring_into_postgresql_is_pointed_to_pg_restore(tmp_path: Path) -> None:
    with pytest.raises(DatabaseNotReady, match="pg_restore"):
        restore_clinic("postgresql+psycopg://u:p@db.example/clinic", tmp_path / "b.db", **ADMIN)


def test_backups_are_never_raw_file_copies() -> None:
    source = Path(__file__).parents[2] / "desktop" / "services" / "backup.py"
    text = source.read_text(encoding="utf-8")
    assert "shutil" not in text
    assert "copyfile" not in text
