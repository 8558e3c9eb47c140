"""Print today's packets or summaries: build one patient's document at a time in the
background, show "12 of 50", then print them all to one printer or save them into a folder.

Each document is one background task; the next starts when the last one has arrived, so the
window never freezes and Cancel (a threading.Event, checked between patients) stops after the
patient in hand. Every document built is recorded as prepared by the service; Print all
records the documents as printed once every page has been sent (a cancelled job records
nothing), Save all records each file written. Printing renders pages off the GUI thread and
draws them a strip per turn of the event loop (print_job.py), and Cancel aborts the print job.
"""

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from PySide6.QtCore import Signal
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

from desktop.services.context import Context
from desktop.services.printing import (
    Audience,
    PrintedDocument,
    TodaysPatient,
    print_consent_packet,
    print_visit_summary,
    record_documents_printed,
    record_documents_saved,
    todays_visit_patients,
)
from desktop.ui import messages
from desktop.ui.printing.print_job import STRIPS, PrintJob, pages_text
from desktop.ui.printing.print_preview_dialog import ChoosePrinter, system_printer
from desktop.ui.tasks import run_task

ChooseFolder = Callable[[QWidget], Path | None]


class BatchKind(StrEnum):
    CONSENT_PACKETS = "consent packets"
    PATIENT_SUMMARIES = "visit summaries (patient copies)"
    CHART_SUMMARIES = "visit summaries (chart copies)"


def build_document(
    ctx: Context, kind: BatchKind, patient_id: int, *, include_witness: bool = False
) -> PrintedDocument:
    if kind is BatchKind.CONSENT_PACKETS:
        return print_consent_packet(ctx, patient_id, include_witness=include_witness)
    audience = Audience.PATIENT if kind is BatchKind.PATIENT_SUMMARIES else Audience.CHART
    return print_visit_summary(ctx, patient_id, audience=audience)


def ask_folder(parent: QWidget) -> Path | None:
    name = QFileDialog.getExistingDirectory(parent, "Save the PDFs into")
    return Path(name) if name else None


@dataclass(frozen=True, slots=True)
class BatchFailure:
    patient: TodaysPatient
    message: str


class PrintBatchDialog(QDialog):
    """Progress, Cancel, then Print all… or Save all…"""

    progress_changed = Signal(int, int)
    """(done, total) after each patient."""
    batch_finished = Signal()
    printing_finished = Signal(int)
    """Pages sent (or sent before Cancel) once a Print all job has ended."""

    def __init__(
        self,
        ctx: Context,
        kind: BatchKind,
        patients: Sequence[TodaysPatient],
        parent: QWidget | None = None,
        *,
        choose_printer: ChoosePrinter = system_printer,
        choose_folder: ChooseFolder = ask_folder,
        include_witness: bool = False,
    ) -> None:
        """`include_witness`: consent packets get a witness signature line on every form
        (the clinic's practice; the preview dialog offers the same choice per packet)."""
        super().__init__(parent)
        self.ctx = ctx
        self.kind = kind
        self.include_witness = include_witness
        self.patients = tuple(patients)
        self.documents: list[PrintedDocument] = []
        self.failures: list[BatchFailure] = []
        self.cancel_requested = threading.Event()
        self.is_finished = False
        self._next = 0
        self._choose_printer = choose_printer
        self._choose_folder = choose_folder
        self._print_job: PrintJob | None = None
        witness = (
            " (with a witness line)"
            if include_witness and kind is BatchKind.CONSENT_PACKETS
            else ""
        )
        self.setWindowTitle(f"Print today's {kind.value}{witness}")
        self.setMinimumWidth(460)

        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, max(len(self.patients), 1))
        self.progress_bar.setValue(0)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        self.problems_label.hide()

        buttons = QDialogButtonBox()
        self.cancel_button = QPushButton("&Cancel")
        self.print_all_button = QPushButton("&Print all…")
        self.save_all_button = QPushButton("&Save all to folder…")
        self.close_button = QPushButton("Cl&ose")
        for button, role in (
            (self.print_all_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.save_all_button, QDialogButtonBox.ButtonRole.ActionRole),
            (self.cancel_button, QDialogButtonBox.ButtonRole.RejectRole),
            (self.close_button, QDialogButtonBox.ButtonRole.AcceptRole),
        ):
            buttons.addButton(button, role)
        self.cancel_button.clicked.connect(self.cancel)
        self.print_all_button.clicked.connect(self.print_all)
        self.save_all_button.clicked.connect(self.save_all)
        self.close_button.clicked.connect(self.accept)
        for button in (self.print_all_button, self.save_all_button, self.close_button):
            button.setEnabled(False)

        layout = QVBoxLayout(self)
        layout.addWidget(self.progress_bar)
        layout.addWidget(self.status_label)
        layout.addWidget(self.problems_label)
        layout.addWidget(buttons)
        self._show_progress()

    # Building -------------------------------------------------------------------------

    def start(self) -> None:
        """Build the first document; each arrival starts the next."""
        self._build_next()

    def cancel(self) -> None:
        """Stop after the patient in hand; what was built can still be printed or saved."""
        self.cancel_requested.set()
        self.cancel_button.setEnabled(False)
        if self._print_job is not None:
            self.status_label.setText("Stopping the print job…")
            self._print_job.cancel()
            return
        if self.is_finished:
            self.reject()
            return
        self.status_label.setText(f"{self._count_text()} — stopping after this patient…")

    def reject(self) -> None:
        # Esc or closing the window: stop the batch or withdraw the print job, then close.
        self.cancel_requested.set()
        if self._print_job is not None:
            self._print_job.cancel()
        super().reject()

    def _build_next(self) -> None:
        if self.cancel_requested.is_set() or self._next >= len(self.patients):
            self._finish()
            return
        patient = self.patients[self._next]
        ctx, kind, cancel, witness = (
            self.ctx,
            self.kind,
            self.cancel_requested,
            self.include_witness,
        )

        def work() -> PrintedDocument | None:
            if cancel.is_set():  # checked between patients, on the worker too
                return None
            return build_document(ctx, kind, patient.patient_id, include_witness=witness)

        run_task(
            self,
            work,
            lambda document: self._built(patient, document),
            lambda error: self._failed(patient, error),
        )

    def _built(self, patient: TodaysPatient, document: PrintedDocument | None) -> None:
        if document is None:
            self._finish()
            return
        self.documents.append(document)
        self._advance()

    def _failed(self, patient: TodaysPatient, error: Exception) -> None:
        self.failures.append(BatchFailure(patient, messages.describe(error)))
        self._advance()

    def _advance(self) -> None:
        self._next += 1
        self._show_progress()
        self.progress_changed.emit(self._next, len(self.patients))
        self._build_next()

    def _count_text(self) -> str:
        return f"{self._next} of {len(self.patients)}"

    def _show_progress(self) -> None:
        self.progress_bar.setValue(self._next)
        self.status_label.setText(f"Building {self.kind.value}: {self._count_text()}")

    def _finish(self) -> None:
        if self.is_finished:
            return
        self.is_finished = True
        built = len(self.documents)
        pages = sum(d.pages for d in self.documents)
        stopped = " (stopped)" if self.cancel_requested.is_set() else ""
        self.status_label.setText(
            f"Built {built} of {len(self.patients)}{stopped}: {pages} pages in all."
        )
        if self.failures:
            lines = [f"{f.patient.name} ({f.patient.mrn}): {f.message}" for f in self.failures]
            self.problems_label.setText("Not built:\n" + "\n".join(lines))
            self.problems_label.show()
        self.cancel_button.setEnabled(False)
        self.close_button.setEnabled(True)
        self.print_all_button.setEnabled(built > 0)
        self.save_all_button.setEnabled(built > 0)
        self.close_button.setDefault(True)
        self.batch_finished.emit()

    # After building ---------------------------------------------------------------------

    def print_all(self) -> None:
        """Every document as one print job on one printer. Pages are rendered off the GUI
        thread and drawn a strip per turn of the event loop, so the window keeps painting,
        the progress bar moves and Cancel stays live; `printing_finished` carries the pages
        sent once the job has ended."""
        printer = self._choose_printer(self)
        if printer is None:
            return
        job = PrintJob(printer, [(d.pdf, d.pages) for d in self.documents], self)
        job.strip_drawn.connect(self._on_job_strip_drawn)
        job.page_sent.connect(self._on_job_page_sent)
        job.failed.connect(lambda error: messages.show_error(self, error))
        job.finished.connect(self._on_job_finished)
        try:
            job.start()
        except OSError as error:
            messages.show_error(self, error)
            return
        self.cancel_requested.clear()  # a Cancel that stopped the building is spent
        self._print_job = job
        for button in (self.print_all_button, self.save_all_button, self.close_button):
            button.setEnabled(False)
        self.cancel_button.setEnabled(True)
        self.progress_bar.setRange(0, max(job.total_pages * STRIPS, 1))
        self.progress_bar.setValue(0)
        self.status_label.setText(f"Printing document 1 of {len(self.documents)}…")

    def _on_job_strip_drawn(self) -> None:
        self.progress_bar.setValue(self.progress_bar.value() + 1)

    def _on_job_page_sent(self, document_number: int, sent: int) -> None:
        self.status_label.setText(
            f"Printing document {document_number} of {len(self.documents)}: "
            f"{pages_text(sent)} sent…"
        )

    def _on_job_finished(self, sent: int, completed: bool) -> None:
        job, self._print_job = self._print_job, None
        self.cancel_requested.clear()
        self.cancel_button.setEnabled(False)
        for button in (self.print_all_button, self.save_all_button, self.close_button):
            button.setEnabled(True)
        if completed and job is not None:
            self.status_label.setText(f"Sent {len(self.documents)} documents ({pages_text(sent)}).")
            documents, printer = tuple(self.documents), job.printer.printerName()
            run_task(
                self,
                lambda: record_documents_printed(self.ctx, documents, printer=printer),
                lambda _none: None,
                lambda error: messages.show_error(self, error),
            )
        else:
            self.status_label.setText("Printing cancelled: nothing more was sent to the printer.")
        self.printing_finished.emit(sent)

    def save_all(self) -> tuple[Path, ...]:
        """Each document under its suggested name in the chosen folder, never over a file."""
        folder = self._choose_folder(self)
        if folder is None:
            return ()
        saved: list[Path] = []
        written: list[PrintedDocument] = []
        try:
            for document in self.documents:
                path = _free_name(folder / document.file_name)
                path.write_bytes(document.pdf)
                saved.append(path)
                written.append(document)
        except OSError as error:
            messages.show_error(self, error)
        self.status_label.setText(f"Saved {len(saved)} PDFs in {folder}.")
        if written:
            run_task(
                self,
                lambda: record_documents_saved(self.ctx, written),
                lambda _none: None,
                lambda error: messages.show_error(self, error),
            )
        return tuple(saved)

    # Entry point for the main window -----------------------------------------------------

    @classmethod
    def print_today(cls, ctx: Context, kind: BatchKind, parent: QWidget, **options: object) -> None:
        """Find today's patients in the background, then open the dialog and start."""

        def show(patients: tuple[TodaysPatient, ...]) -> None:
            if not patients:
                messages.show_warning(parent, "No patient has a visit today.")
                return
            dialog = cls(ctx, kind, patients, parent, **options)  # type: ignore[arg-type]
            dialog.setObjectName("print_batch_dialog")
            dialog.open()
            dialog.start()

        run_task(
            parent,
            lambda: todays_visit_patients(ctx),
            show,
            lambda error: messages.show_error(parent, error),
        )


def _free_name(path: Path) -> Path:
    """`name.pdf`, else `name (2).pdf`, `name (3).pdf` …"""
    candidate, number = path, 2
    while candidate.exists():
        candidate = path.with_name(f"{path.stem} ({number}){path.suffix}")
        number += 1
    return candidate
