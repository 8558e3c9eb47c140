"""Migrations on a populated clinic (issue 6, item 8): from every older revision, a database
holding 1,000 synthetic patients with their course histories and audit trail upgrades to head
with every row it held unchanged, and its audit trail verifies; a failure injected halfway
through the upgrade leaves the database as it was (SQLite: the file byte for byte) and the
copy made before upgrading holds the same rows.

Runs on SQLite and, in CI's second run, on PostgreSQL (a new empty database per test)."""

import shutil
import sqlite3
import time
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import make_url

from db.audit import verify_chain
from db.engine import Sessions, create_clinic_engine
from db.migrate import schema_state
from desktop.cli import main
from desktop.services.context import FixedClock, open_clinic
from desktop.services.database_admin import upgrade_clinic_database
from desktop.services.patients import register_patient
from desktop.services.staff import sign_in
from tests import postgres
from tests.conftest import POSTGRES_URL, patient_draft
from tests.db.populated_clinic import (
    ADMIN,
    ADMIN_PASSWORD,
    DEMO_PATIENTS,
    NOW,
    FailAtStatement,
    InjectedFailure,
    TableDigest,
    build_head_clinic,
    copy_rows,
    differences,
    revisions,
    schema_columns,
    table_digests,
    upgrade_to,
)

pytestmark = pytest.mark.slow

OLDER_REVISIONS = revisions()[:-1]
UPGRADE_CLOCK = FixedClock(NOW + timedelta(days=1))


@pytest.fixture(scope="module")
def head_clinic(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("populated") / "head.db"
    build_head_clinic(path)
    return path


def _new_database(tmp_path: Path, name: str) -> Iterator[str]:
    if POSTGRES_URL:
        yield from postgres.empty_database(POSTGRES_URL)
        return
    yield f"sqlite:///{tmp_path / name}"


@pytest.fixture
def empty_url(tmp_path: Path) -> Iterator[str]:
    yield from _new_database(tmp_path, "isotrack.db")


def _populate_at(revision: str, head: Path, url: str) -> dict[str, int]:
    target = create_clinic_engine(url)
    source = create_clinic_engine(f"sqlite:///{head}")
    try:
        upgrade_to(target, revision)
        return copy_rows(source, target)
    finally:
        source.dispose()
        target.dispose()


def _snapshot(url: str) -> tuple[str | None, dict[str, list[str]], dict[str, TableDigest]]:
    engine = create_clinic_engine(url)
    try:
        columns = schema_columns(engine)
        return schema_state(engine).current, columns, table_digests(engine)
    finally:
        engine.dispose()


def _rows_now(url: str, columns: dict[str, list[str]]) -> dict[str, TableDigest]:
    engine = create_clinic_engine(url)
    try:
        return table_digests(engine, only=columns)
    finally:
        engine.dispose()


def _columns_now(url: str) -> dict[str, list[str]]:
    engine = create_clinic_engine(url)
    try:
        return schema_columns(engine)
    finally:
        engine.dispose()


def _chain_is_whole(url: str) -> bool:
    sessions = Sessions(create_clinic_engine(url))
    try:
        with sessions.read() as session:
            return verify_chain(session).is_whole
    finally:
        sessions.engine.dispose()


def _revision_of(url: str) -> str | None:
    engine = create_clinic_engine(url)
    try:
        return schema_state(engine).current
    finally:
        engine.dispose()


@pytest.mark.parametrize("revision", OLDER_REVISIONS)
def test_a_populated_clinic_upgrades_to_head_with_every_row(
    revision: str, head_clinic: Path, empty_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    copied = _populate_at(revision, head_clinic, empty_url)
    assert copied["patients"] >= DEMO_PATIENTS
    assert copied["audit_entries"] > DEMO_PATIENTS
    current, columns, before = _snapshot(empty_url)
    assert current == revision

    started = time.monotonic()
    result = upgrade_clinic_database(empty_url, UPGRADE_CLOCK)
    elapsed = time.monotonic() - started

    head = revisions()[-1]
    assert (result.from_revision, result.to_revision, _revision_of(empty_url)) == (
        revision,
        head,
        head,
    )
    assert differences(before, _rows_now(empty_url, columns)) == []
    assert main(["--db", empty_url, "audit", "verify"]) == 0, capsys.readouterr().err
    if result.backup_path is not None:  # SQLite: the copy made before upgrading
        backup_url = f"sqlite:///{result.backup_path}"
        assert _revision_of(backup_url) == revision
        assert differences(before, _rows_now(backup_url, columns)) == []
    else:
        assert POSTGRES_URL  # a shared database is backed up with pg_dump, not by IsoTrack

    # The upgraded clinic takes new work, audited on the same chain.
    clinic = open_clinic(empty_url, clock=UPGRADE_CLOCK, workstation="ws-after")
    try:
        register_patient(sign_in(clinic, ADMIN, ADMIN_PASSWORD), patient_draft(mrn="AFTER-1"))
    finally:
        clinic.close()
    assert main(["--db", empty_url, "audit", "verify"]) == 0, capsys.readouterr().err
    rows = sum(copied.values())
    with capsys.disabled():
        print(  # noqa: T201  (figures for the CI log; no patient data)
            f"\npopulated upgrade {revision} -> {head} on {make_url(empty_url).get_backend_name()}"
            f": {copied['patients']} patients, {rows} rows in {len(copied)} tables, "
            f"{elapsed:.2f} s"
        )


def _copy_for_a_dry_run(url: str, tmp_path: Path) -> Iterator[str]:
    if POSTGRES_URL:
        yield from postgres.database_copy(POSTGRES_URL, make_url(url).database or "")
        return
    copy = tmp_path / "dry-run.db"
    shutil.copyfile(make_url(url).database or "", copy)
    yield f"sqlite:///{copy}"


def _statements_in_upgrade(url: str, tmp_path: Path) -> int:
    """How many statements the upgrade of an identical copy executes, start to finish."""
    copies = _copy_for_a_dry_run(url, tmp_path)
    copy = next(copies)
    try:
        with FailAtStatement() as counter:
            upgrade_clinic_database(copy, UPGRADE_CLOCK)
        return counter.count
    finally:
        copies.close()


@pytest.mark.parametrize("where", ["halfway", "at the last statement"])
def test_a_failure_during_the_upgrade_leaves_the_clinic_as_it_was(
    head_clinic: Path, empty_url: str, tmp_path: Path, where: str
) -> None:
    """From the oldest revision: halfway lands inside the first migration; the last statement
    comes after every revision's changes but the last one's, which one transaction for the
    whole upgrade must undo too."""
    oldest = OLDER_REVISIONS[0]
    _populate_at(oldest, head_clinic, empty_url)
    sqlite_file = None if POSTGRES_URL else Path(make_url(empty_url).database or "")
    if sqlite_file is not None:
        assert not sqlite_file.with_name(sqlite_file.name + "-wal").exists()
        original_bytes = sqlite_file.read_bytes()
    _, columns, before = _snapshot(empty_url)
    statements = _statements_in_upgrade(empty_url, tmp_path)
    fail_at = statements // 2 if where == "halfway" else statements

    with FailAtStatement(fail_at=fail_at) as injected, pytest.raises(InjectedFailure):
        upgrade_clinic_database(empty_url, UPGRADE_CLOCK)

    assert injected.failed_on  # the upgrade was under way: this statement never ran
    assert _revision_of(empty_url) == oldest
    assert _columns_now(empty_url) == columns
    assert differences(before, _rows_now(empty_url, columns)) == []
    if sqlite_file is not None:
        assert sqlite_file.read_bytes() == original_bytes
        (backup,) = sqlite_file.parent.glob(f"{sqlite_file.name}.before-*.bak")
        with sqlite3.connect(backup) as raw:
            assert raw.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        raw.close()
        assert differences(before, _rows_now(f"sqlite:///{backup}", columns)) == []
    assert _chain_is_whole(empty_url)  # not `isotrack audit verify`: it would upgrade the file

    # Once the cause is gone the same database upgrades, every row still there.
    upgrade_clinic_database(empty_url, FixedClock(NOW + timedelta(days=2)))
    assert _revision_of(empty_url) == revisions()[-1]
    assert differences(before, _rows_now(empty_url, columns)) == []
