"""Backing up from the app: progress to the end, Cancel leaves no file, an unwritable folder
and a non-administrator are refused with a sentence to act on, and the result tells the size."""

import threading
from pathlib import Path

import pytest
from sqlalchemy import func, select

from db.models import AuditEntry
from desktop.services.backup import (
    BackupCancelled,
    back_up_clinic,
    backup_refusal,
    check_backup,
)
from desktop.services.context import Context
from desktop.services.errors import InputError, NotAllowed

pytestmark = pytest.mark.sqlite_only


def _audit_entries(ctx: Context) -> int:
    with ctx.sessions.read() as session:
        return session.scalar(select(func.count()).select_from(AuditEntry)) or 0


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def test_a_backup_reports_progress_to_the_end_and_its_size(
    admin_ctx: Context, tmp_path: Path
) -> None:
    steps: list[tuple[int, int]] = []
    result = back_up_clinic(
        admin_ctx, tmp_path / "b.db", lambda done, total: steps.append((done, total))
    )
    assert steps
    assert steps[-1][0] == steps[-1][1] > 0
    assert result.size_bytes == (tmp_path / "b.db").stat().st_size > 0
    assert check_backup(result.path).audit_entries == result.audit_entries


def test_a_backup_cancelled_before_it_starts_writes_nothing(
    admin_ctx: Context, tmp_path: Path
) -> None:
    before = _audit_entries(admin_ctx)
    cancel = threading.Event()
    cancel.set()
    with pytest.raises(BackupCancelled, match="no backup file was saved"):
        back_up_clinic(admin_ctx, tmp_path / "b.db", cancel=cancel)
    assert _leftovers(tmp_path) == ["clinic.db", "clinic.db-shm", "clinic.db-wal"]
    assert _audit_entries(admin_ctx) == before


def test_a_backup_cancelled_during_the_copy_leaves_no_partial_file(
    admin_ctx: Context, tmp_path: Path
) -> None:
    backups = tmp_path / "backups"
    backups.mkdir()
    cancel = threading.Event()
    steps: list[int] = []

    def cancel_at_first_step(done: int, _total: int) -> None:
        steps.append(done)
        cancel.set()

    with pytest.raises(BackupCancelled):
        back_up_clinic(admin_ctx, backups / "b.db", cancel_at_first_step, cancel=cancel)
    assert len(steps) == 1
    assert _leftovers(backups) == []


def test_an_existing_file_is_kept_when_its_replacement_is_cancelled(
    admin_ctx: Context, tmp_path: Path
) -> None:
    existing = tmp_path / "b.db"
    existing.write_bytes(b"yesterday's backup")
    cancel = threading.Event()
    with pytest.raises(BackupCancelled):
        back_up_clinic(
            admin_ctx,
            existing,
            lambda _done, _total: cancel.set(),
            replace_existing=True,
            cancel=cancel,
        )
    assert existing.read_bytes() == b"yesterday's backup"


def test_an_unwritable_folder_is_refused_with_a_sentence_to_act_on(admin_ctx: Context) -> None:
    # /proc refuses new files even to root, so this holds for every CI account.
    with pytest.raises(InputError, match=r"could not write the backup into /proc") as refused:
        back_up_clinic(admin_ctx, Path("/proc/isotrack-backup.db"))
    assert "Choose a folder you can save files in" in refused.value.user_message()


def test_only_an_administrator_is_offered_the_backup(
    admin_ctx: Context, nurse_ctx: Context, prescriber_ctx: Context, tmp_path: Path
) -> None:
    assert backup_refusal(admin_ctx) is None
    for ctx in (nurse_ctx, prescriber_ctx):
        assert "cannot back up" in (backup_refusal(ctx) or "")
        with pytest.raises(NotAllowed):
            back_up_clinic(ctx, tmp_path / "b.db")
    assert not (tmp_path / "b.db").exists()
