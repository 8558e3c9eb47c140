"""The audit chain under 8 concurrent writers, and audit rows the application cannot change.

Eight workstations (threads, each with its own engine and signed-in user) register and edit
patients through the real services at the same moment. Afterwards the chain must have no
fork: sequence numbers exactly 1..N, each row linked to the row before it, verify_chain
whole, and N equal to the entries that existed before plus one per acknowledged save.
"""

import threading
import time
from collections.abc import Iterator
from itertools import pairwise

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DatabaseError, OperationalError

from db.audit import GENESIS_HASH, verify_chain
from db.models import AuditEntry
from db.privileges import audit_privileges
from desktop.services.context import Context, FixedClock, open_clinic
from desktop.services.patients import register_patient, update_patient
from desktop.services.records import PatientRecord
from desktop.services.staff import sign_in
from tests.conftest import PASSWORD, patient_draft
from tests.postgres import APP_ROLE

WRITERS = 8
SAVES_PER_WRITER = 25
MAX_ATTEMPTS = 5


class _Writer(threading.Thread):
    """One workstation: a registration, then edits of that patient, then another … A save
    refused because SQLite stayed busy past its timeout is not acknowledged; it is retried."""

    def __init__(self, ctx: Context, number: int, start: threading.Barrier) -> None:
        super().__init__(daemon=True)
        self.ctx, self.number, self.start_together = ctx, number, start
        self.acknowledged = 0
        self.busy_refusals = 0
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            self.start_together.wait()
            record: PatientRecord | None = None
            for save in range(SAVES_PER_WRITER):
                record = self._save(save, record)
        except BaseException as error:  # re-raised in the test's thread
            self.error = error

    def _save(self, save: int, record: PatientRecord | None) -> PatientRecord:
        for _ in range(MAX_ATTEMPTS):
            try:
                saved = self._save_once(save, record)
            except OperationalError:  # "database is locked" after the busy timeout
                self.busy_refusals += 1
                continue
            self.acknowledged += 1
            return saved
        raise AssertionError(f"writer {self.number} was refused {MAX_ATTEMPTS} times")

    def _save_once(self, save: int, record: PatientRecord | None) -> PatientRecord:
        if record is None or save % 5 == 0:
            draft = patient_draft(mrn=f"W{self.number}-{save}", phone="5550000000")
            return register_patient(self.ctx, draft)
        draft = patient_draft(mrn=record.mrn, phone=f"555{self.number:02d}{save:05d}")
        return update_patient(self.ctx, record.id, record.version, draft)


def _entry_count(ctx: Context) -> int:
    with ctx.sessions.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def test_eight_concurrent_writers_leave_one_unforked_chain(
    database_url: str, clock: FixedClock, nurse_ctx: Context, capsys: pytest.CaptureFixture[str]
) -> None:
    stations = [
        sign_in(open_clinic(database_url, clock=clock, workstation=f"ws-{n}"), "nina", PASSWORD)
        for n in range(WRITERS)
    ]
    before = _entry_count(nurse_ctx)
    role = _connected_role(stations[0])
    start = threading.Barrier(WRITERS)
    threads = [_Writer(ctx, n, start) for n, ctx in enumerate(stations)]
    started = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    elapsed = time.monotonic() - started
    for ctx in stations:
        ctx.clinic.close()
    for thread in threads:
        if thread.error is not None:
            raise thread.error
    acknowledged = sum(t.acknowledged for t in threads)
    busy = sum(t.busy_refusals for t in threads)

    with nurse_ctx.sessions.read() as session:
        rows = session.execute(
            select(AuditEntry.seq, AuditEntry.prev_hash, AuditEntry.hash).order_by(AuditEntry.seq)
        ).all()
        report = verify_chain(session)
    forks = int(rows[0].prev_hash != GENESIS_HASH) + sum(
        1 for earlier, later in pairwise(rows) if later.prev_hash != earlier.hash
    )
    assert [row.seq for row in rows] == list(range(1, len(rows) + 1))
    assert forks == 0
    assert report.is_whole
    assert (
        report.entries == len(rows) == before + acknowledged == before + WRITERS * SAVES_PER_WRITER
    )
    engine = nurse_ctx.clinic.engine.dialect.name
    with capsys.disabled():
        print(  # noqa: T201  (figures for the CI log; no patient data)
            f"\naudit chain on {engine}: {WRITERS} concurrent writers, {acknowledged} saves "
            f"acknowledged in {elapsed:.1f} s ({busy} refused as busy and retried), "
            f"{len(rows)} entries, {forks} forks{role}"
        )


def _connected_role(ctx: Context) -> str:
    """PostgreSQL: the writers connect as the application's role, which may not change the
    trail in any way (tests/postgres.py); SQLite has no roles."""
    if ctx.sessions.dialect != "postgresql":
        return ""
    with ctx.sessions.read() as session:
        role = session.scalar(text("SELECT current_user")) or ""
        held = audit_privileges(session.connection(), role)
    assert role == APP_ROLE
    assert held == dict.fromkeys(held, False)
    return f", as role {role} (no UPDATE, DELETE, TRUNCATE or ownership of the trail)"


# What the application's own connection may try against the trail: each must be refused.
_CHANGES = {
    "update": "UPDATE audit_entries SET actor_name = 'Someone else' WHERE seq = 1",
    "delete one": "DELETE FROM audit_entries WHERE seq = 1",
    "delete all": "DELETE FROM audit_entries",
    "upsert": (
        "INSERT INTO audit_entries (seq, at, actor_id, actor_name, workstation, action, entity,"
        " entity_id, patient_id, old_values, new_values, reason, prev_hash, hash)"
        " SELECT seq, at, actor_id, actor_name, workstation, action, entity, entity_id,"
        " patient_id, old_values, new_values, reason, prev_hash, hash FROM audit_entries"
        " WHERE seq = 1 ON CONFLICT (seq) DO UPDATE SET actor_name = 'Someone else'"
    ),
}
_POSTGRES_ONLY = {"truncate": "TRUNCATE audit_entries"}
_SQLITE_REPLACE = (
    "INSERT OR REPLACE INTO audit_entries (id, seq, at, actor_id, actor_name, workstation,"
    " action, entity, entity_id, patient_id, old_values, new_values, reason, prev_hash, hash)"
    " SELECT id, seq, at, actor_id, 'Someone else', workstation, action, entity, entity_id,"
    " patient_id, old_values, new_values, reason, prev_hash, hash FROM audit_entries"
    " WHERE seq = 1"
)


def _first_actor(ctx: Context) -> str:
    with ctx.sessions.read() as session:
        return session.scalar(select(AuditEntry.actor_name).where(AuditEntry.seq == 1)) or ""


@pytest.fixture
def owner_ctx(owner_database_url: str, clock: FixedClock, nurse_ctx: Context) -> Iterator[Context]:
    """Nina signed in on a connection as the tables' owner (PostgreSQL; SQLite: the file)."""
    ctx = sign_in(open_clinic(owner_database_url, clock=clock), "nina", PASSWORD)
    yield ctx
    ctx.clinic.close()


@pytest.mark.parametrize("who", ["application", "owner"])
@pytest.mark.parametrize("change", [*_CHANGES, *_POSTGRES_ONLY])
def test_the_application_cannot_change_audit_rows(
    nurse_ctx: Context, owner_ctx: Context, change: str, who: str
) -> None:
    """On PostgreSQL the application's role holds no privilege to change the trail; the
    owner's ordinary statements meet the append-only triggers (so does anyone on SQLite)."""
    dialect = nurse_ctx.sessions.dialect
    if change in _POSTGRES_ONLY and dialect != "postgresql":
        pytest.skip("SQLite has no TRUNCATE; 'delete all' covers it")
    statement = {**_CHANGES, **_POSTGRES_ONLY}[change]
    ctx = nurse_ctx if who == "application" else owner_ctx
    refusal = "append-only"
    if who == "application" and dialect == "postgresql":
        refusal = "permission denied for table audit_entries"
    actor, count = _first_actor(nurse_ctx), _entry_count(nurse_ctx)
    with pytest.raises(DatabaseError, match=refusal), ctx.sessions.write() as session:
        session.execute(text(statement))
    assert (_first_actor(nurse_ctx), _entry_count(nurse_ctx)) == (actor, count)


@pytest.mark.sqlite_only
def test_sqlite_insert_or_replace_cannot_rewrite_an_audit_row(nurse_ctx: Context) -> None:
    actor = _first_actor(nurse_ctx)
    try:
        with nurse_ctx.sessions.write() as session:
            session.execute(text(_SQLITE_REPLACE))
    except DatabaseError:
        pass
    assert _first_actor(nurse_ctx) == actor


def test_no_role_is_granted_changes_to_audit_rows_through_public(nurse_ctx: Context) -> None:
    """PostgreSQL: PUBLIC holds no UPDATE, DELETE or TRUNCATE on the trail, so REVOKE … FROM
    PUBLIC would change nothing; the triggers refuse even the owner's ordinary statements."""
    if nurse_ctx.sessions.dialect != "postgresql":
        pytest.skip("privileges exist on PostgreSQL only; SQLite relies on its triggers")
    with nurse_ctx.sessions.read() as session:
        granted = {
            privilege: session.scalar(
                text("SELECT has_table_privilege('public', 'audit_entries', :p)"), {"p": privilege}
            )
            for privilege in ("UPDATE", "DELETE", "TRUNCATE")
        }
    assert granted == {"UPDATE": False, "DELETE": False, "TRUNCATE": False}
