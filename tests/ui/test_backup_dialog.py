"""File → Back up clinic database…: an administrator chooses a file, sees the progress reach
100 %, can cancel (no file left), and reads where the verified backup went; a nurse and an
unwritable folder get a sentence to act on, an unexpected failure only a reference code."""

from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QRunnable, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Context, open_clinic
from desktop.services.database_admin import verify_audit_trail
from desktop.ui import messages, tasks
from desktop.ui.backup import backup_dialog
from desktop.ui.backup.backup_dialog import BackupDialog, readable_size, suggested_backup_path
from tests.ui.keyboard import answer_modal

pytestmark = pytest.mark.sqlite_only


class HeldRunner:
    """Holds each task until the test lets it run, so Cancel can be pressed first."""

    def __init__(self) -> None:
        self.held: list[QRunnable] = []

    def start(self, runnable: QRunnable) -> None:
        self.held.append(runnable)

    def run_all(self) -> None:
        while self.held:
            self.held.pop(0).run()


def _dialog(qtbot: QtBot, ctx: Context, destination: Path) -> BackupDialog:
    dialog = BackupDialog(ctx, destination)
    qtbot.addWidget(dialog)
    return dialog


def test_an_administrator_backs_up_and_reads_where_the_verified_copy_went(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path
) -> None:
    destination = tmp_path / "isotrack-backup.db"
    dialog = _dialog(qtbot, admin_ctx, destination)
    percents: list[int] = []
    dialog.progress_changed.connect(percents.append)
    dialog.start()
    qtbot.waitUntil(lambda: percents[-1:] == [100])
    assert dialog.progress_bar.value() == 100
    assert dialog.result_record is not None
    text = dialog.status_label.text()
    assert f"File: {destination}" in text
    assert f"Size: {readable_size(destination.stat().st_size)}" in text
    assert "integrity check passed" in text
    assert f"audit trail is whole ({dialog.result_record.audit_entries} entries)" in text
    assert dialog.close_button.isEnabled()
    assert dialog.close_button.isDefault()
    assert not dialog.cancel_button.isEnabled()
    copy = open_clinic(f"sqlite:///{destination}")
    try:
        assert verify_audit_trail(copy).is_whole
    finally:
        copy.close()


def test_the_copy_runs_on_a_worker_thread_and_reports_back(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path
) -> None:
    tasks.use_runner(None)  # the real thread pool (the fixture puts the inline runner back)
    dialog = _dialog(qtbot, admin_ctx, tmp_path / "b.db")
    with qtbot.waitSignal(dialog.backup_finished, timeout=20_000):
        dialog.start()
    qtbot.waitUntil(lambda: dialog.progress_bar.value() == 100)
    assert dialog.result_record is not None
    assert (tmp_path / "b.db").is_file()


def test_cancel_leaves_no_file_and_says_so(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path
) -> None:
    runner = HeldRunner()
    tasks.use_runner(runner)
    backups = tmp_path / "backups"
    backups.mkdir()
    dialog = _dialog(qtbot, admin_ctx, backups / "b.db")
    dialog.show()
    dialog.start()
    QTest.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    assert dialog.status_label.text() == "Cancelling the backup…"
    assert dialog.isVisible()  # it waits for the copy to stop
    runner.run_all()
    assert dialog.status_label.text() == "The backup was cancelled; no backup file was saved."
    assert dialog.result_record is None
    assert list(backups.iterdir()) == []


def test_esc_while_copying_cancels_instead_of_closing(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path
) -> None:
    runner = HeldRunner()
    tasks.use_runner(runner)
    dialog = _dialog(qtbot, admin_ctx, tmp_path / "b.db")
    dialog.show()
    dialog.start()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert dialog.isVisible()
    assert dialog.cancel_requested.is_set()
    runner.run_all()
    assert not (tmp_path / "b.db").exists()
    QTest.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_an_unwritable_folder_shows_a_sentence_to_act_on(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = _dialog(qtbot, admin_ctx, Path("/proc/isotrack-backup.db"))
    dialog.start()
    text = dialog.status_label.text()
    assert text.startswith("IsoTrack could not write the backup into /proc")
    assert "Choose a folder you can save files in" in text
    assert dialog.result_record is None
    assert dialog.close_button.isEnabled()


def test_an_unexpected_failure_shows_a_reference_code_not_its_text(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("disk said something with a name in it")

    monkeypatch.setattr(backup_dialog, "back_up_clinic", broken)
    dialog = _dialog(qtbot, admin_ctx, tmp_path / "b.db")
    dialog.start()
    text = dialog.status_label.text()
    assert "tell your administrator the reference E-" in text
    assert "name in it" not in text


def test_run_suggests_a_dated_file_in_documents_then_backs_up(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path
) -> None:
    suggested: list[Path] = []

    def choose(_parent: QWidget | None, proposal: Path) -> Path:
        suggested.append(proposal)
        return tmp_path / proposal.name

    closed = answer_modal(BackupDialog, lambda dialog: dialog.close_button.click())
    result = BackupDialog.run(admin_ctx, choose_file=choose)
    # The test clock says 15:30 UTC: 10:30 in the clinic's New York time zone.
    assert suggested[0].name == "isotrack-backup-2026-11-20-1030.db"
    assert result is not None
    assert result.path == (tmp_path / suggested[0].name).resolve()
    assert result.path.is_file()
    assert len(closed) == 1


def test_run_tells_a_nurse_why_not_and_asks_for_no_file(
    nurse_ctx: Context, monkeypatch: pytest.MonkeyPatch
) -> None:
    warnings: list[str] = []
    monkeypatch.setattr(messages, "show_warning", lambda _parent, text: warnings.append(text))

    def choose(_parent: QWidget | None, _proposal: Path) -> Path:
        raise AssertionError("a nurse is not asked for a file")

    assert BackupDialog.run(nurse_ctx, choose_file=choose) is None
    assert warnings == ["A nurse account cannot back up the clinic database."]


def test_run_does_nothing_when_the_file_chooser_is_cancelled(admin_ctx: Context) -> None:
    assert BackupDialog.run(admin_ctx, choose_file=lambda _parent, _proposal: None) is None


@pytest.mark.parametrize(
    ("size_bytes", "text"),
    [(512, "512 bytes"), (1536, "1.5 KB"), (5 * 1024 * 1024, "5.0 MB"), (3 * 1024**3, "3.0 GB")],
)
def test_sizes_read_like_a_file_manager(size_bytes: int, text: str) -> None:
    assert readable_size(size_bytes) == text


def test_the_suggested_file_is_named_by_local_date_and_minute() -> None:
    path = suggested_backup_path(datetime(2026, 11, 22, 14, 30, tzinfo=UTC))
    assert path.name == "isotrack-backup-2026-11-22-1430.db"
    assert path.parent.is_absolute()
