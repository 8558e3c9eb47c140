"""Back up the clinic database from the app: choose a file, watch the copy, cancel it, then
read where the backup went, how big it is and that the copy itself was verified.

The copy runs off the GUI thread (ui/tasks.py); the service reports pages copied from the
worker, and a queued signal carries the percentage to the progress bar. Cancel sets a
threading.Event the service checks after each step of the copy: the half-written file is
removed and nothing is saved. Esc or closing the window while copying asks to cancel and
waits for the copy to stop, so the dialog never closes on a backup still being written.
"""

import threading
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from PySide6.QtCore import QObject, QStandardPaths, Qt, Signal
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.backup import BackupResult, back_up_clinic, backup_refusal
from desktop.services.context import Context
from desktop.ui import messages
from desktop.ui.tasks import run_task

ChooseBackupFile = Callable[[QWidget | None, Path], Path | None]
"""(parent, suggested path) -> the file the user chose, or None if they cancelled."""


def suggested_backup_path(local_now: datetime) -> Path:
    """isotrack-backup-2026-11-22-1430.db in the user's documents folder (home if none)."""
    folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(folder or Path.home()) / f"isotrack-backup-{local_now:%Y-%m-%d-%H%M}.db"


def ask_backup_file(parent: QWidget | None, suggested: Path) -> Path | None:
    """The system's Save-as chooser; it asks before replacing an existing file."""
    name, _ = QFileDialog.getSaveFileName(
        parent,
        "Back up the clinic database to",
        str(suggested),
        "IsoTrack backups (*.db);;All files (*)",
    )
    return Path(name) if name else None


def readable_size(size_bytes: int) -> str:
    size = float(size_bytes)
    for unit in ("bytes", "KB", "MB"):
        if size < 1024:
            return f"{size_bytes} bytes" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


class _CopyProgress(QObject):
    """Emitted on the worker thread, delivered queued on the GUI thread. Unparented, like
    tasks.py's signals, so Qt never deletes it while the worker may still emit on it."""

    percent_reached = Signal(int)

    def report(self, done_pages: int, total_pages: int) -> None:
        self.percent_reached.emit(done_pages * 100 // total_pages if total_pages else 100)


class BackupDialog(QDialog):
    """Progress and Cancel while the copy runs; the verified result (or why not) after."""

    progress_changed = Signal(int)
    """Percent copied, as the progress bar shows it."""
    backup_finished = Signal()
    """The copy ended: saved, cancelled or failed (see `result_record`)."""

    def __init__(self, ctx: Context, destination: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.destination = destination
        self.result_record: BackupResult | None = None
        self.cancel_requested = threading.Event()
        self.is_running = False
        self.setWindowTitle("Back up the clinic database")
        self.setMinimumWidth(480)

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, 100)
        self.progress_bar.setValue(0)
        self.status_label = QLabel(f"Backing up to {destination}…")
        self.status_label.setWordWrap(True)
        self.status_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        buttons = QDialogButtonBox()
        self.cancel_button = QPushButton("&Cancel")
        self.close_button = QPushButton("C&lose")
        buttons.addButton(self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.AcceptRole)
        self.cancel_button.clicked.connect(self.cancel)
        self.close_button.clicked.connect(self.accept)
        self.close_button.setEnabled(False)
        # Enter must never cancel a running backup by accident: no default button until done.
        self.cancel_button.setAutoDefault(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)

    @classmethod
    def run(
        cls,
        ctx: Context,
        parent: QWidget | None = None,
        *,
        choose_file: ChooseBackupFile = ask_backup_file,
    ) -> BackupResult | None:
        """File → Back up clinic database…: say why not (a nurse, or a shared PostgreSQL
        database: pg_dump), else ask where, copy with progress, and show the result."""
        refusal = backup_refusal(ctx)
        if refusal is not None:
            messages.show_warning(parent, refusal)
            return None
        suggested = suggested_backup_path(ctx.now().astimezone(ctx.time_zone))
        destination = choose_file(parent, suggested)
        if destination is None:
            return None
        dialog = cls(ctx, destination, parent)
        dialog.start()
        dialog.exec()
        return dialog.result_record

    def start(self) -> None:
        self.is_running = True
        progress = _CopyProgress()
        progress.percent_reached.connect(
            self._on_progress_percent_reached, Qt.ConnectionType.QueuedConnection
        )
        ctx, destination, cancel = self.ctx, self.destination, self.cancel_requested

        def work() -> BackupResult:
            # The chooser already asked before replacing an existing file.
            return back_up_clinic(
                ctx, destination, progress.report, replace_existing=True, cancel=cancel
            )

        run_task(self, work, self._on_backup_done, self._on_backup_failed)

    def cancel(self) -> None:
        """Stop the copy at its next step; the dialog stays until the copy has stopped."""
        if not self.is_running:
            self.reject()
            return
        self.cancel_requested.set()
        self.cancel_button.setEnabled(False)
        self.status_label.setText("Cancelling the backup…")

    def reject(self) -> None:
        if self.is_running:
            self.cancel()
            return
        super().reject()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self.is_running:
            self.cancel()
            event.ignore()
            return
        super().closeEvent(event)

    def _on_progress_percent_reached(self, percent: int) -> None:
        # Queued values can arrive after the result when the task ran inline: never go back.
        if percent > self.progress_bar.value():
            self.progress_bar.setValue(percent)
            self.progress_changed.emit(percent)

    def _on_backup_done(self, result: BackupResult) -> None:
        self.result_record = result
        self.status_label.setText(
            f"The backup is saved and verified.\n\nFile: {result.path}\n"
            f"Size: {readable_size(result.size_bytes)}\n"
            "Checked on the copy itself: the SQLite integrity check passed and the audit "
            f"trail is whole ({result.audit_entries} entries)."
        )
        self._finish()

    def _on_backup_failed(self, error: Exception) -> None:
        self.status_label.setText(messages.describe(error))
        self._finish()

    def _finish(self) -> None:
        self.is_running = False
        self.cancel_button.setEnabled(False)
        self.close_button.setEnabled(True)
        self.close_button.setDefault(True)
        self.close_button.setFocus()
        self.backup_finished.emit()
