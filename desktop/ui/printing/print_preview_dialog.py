"""Preview a printed document in Qt's PDF view, then print it or save it.

The PDF arrives as bytes from the printing service; the UI never builds one. Printing renders
each page at 200 dpi off the GUI thread and draws it into the chosen printer a strip at a
time (print_job.py), so what comes out is exactly what the preview showed and the window
never freezes. Building the document is audited as prepared; a print is recorded only once
every page has been sent, a save only once the file is written.
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QCheckBox,
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
    DocumentKind,
    PrintedDocument,
    print_consent_packet,
    print_visit_summary,
    record_documents_printed,
    record_documents_saved,
)
from desktop.ui import messages
from desktop.ui.printing.print_job import STRIPS, PdfBytes, PrintJob, pages_text
from desktop.ui.tasks import run_task

ChoosePrinter = Callable[[QWidget], QPrinter | None]
ChooseSavePath = Callable[[QWidget, str], Path | None]
RebuildWithWitness = Callable[[bool], PrintedDocument]


def system_printer(parent: QWidget) -> QPrinter | None:
    """The system print dialog; None when the user cancels."""
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    dialog = QPrintDialog(printer, parent)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return printer


def ask_save_path(parent: QWidget, suggested: str) -> Path | None:
    name, _ = QFileDialog.getSaveFileName(parent, "Save PDF", suggested, "PDF files (*.pdf)")
    if not name:
        return None
    path = Path(name)
    return path if path.suffix.lower() == ".pdf" else path.with_name(path.name + ".pdf")


class PrintPreviewDialog(QDialog):
    """The document as it will print, with Print…, Save as… and Close; a consent packet also
    offers "Include a witness line", which builds the packet again."""

    printing_finished = Signal(int, bool)
    """(pages sent, completed) once a print job has ended."""
    document_changed = Signal()
    """The preview shows a rebuilt document (the witness line was switched)."""

    def __init__(
        self,
        ctx: Context,
        document: PrintedDocument,
        parent: QWidget | None = None,
        *,
        choose_printer: ChoosePrinter = system_printer,
        choose_save_path: ChooseSavePath = ask_save_path,
        rebuild_with_witness: RebuildWithWitness | None = None,
        include_witness: bool = False,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.printed = document
        self._choose_printer = choose_printer
        self._choose_save_path = choose_save_path
        self._rebuild = rebuild_with_witness
        self._job: PrintJob | None = None
        self.setWindowTitle(f"{document.title}: {document.patient_name} ({document.mrn})")
        self.resize(820, 960)

        self.pdf = PdfBytes(document.pdf, self)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.setDocument(self.pdf.document)

        self.witness_check_box = QCheckBox("Include a &witness line")
        self.witness_check_box.setChecked(include_witness)
        self.witness_check_box.setVisible(rebuild_with_witness is not None)
        self.witness_check_box.toggled.connect(self._on_witness_check_box_toggled)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.progress_bar = QProgressBar()
        self.progress_bar.hide()

        buttons = QDialogButtonBox()
        self.print_button = QPushButton("&Print…")
        self.save_button = QPushButton("&Save as…")
        self.cancel_print_button = QPushButton("&Cancel printing")
        self.cancel_print_button.hide()
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        for button in (self.print_button, self.save_button, self.cancel_print_button):
            buttons.addButton(button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        self.cancel_print_button.clicked.connect(self.cancel_printing)
        buttons.rejected.connect(self.reject)
        self.print_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pdf_view, 1)
        layout.addWidget(self.witness_check_box)
        layout.addWidget(self.status_label)
        layout.addWidget(self.progress_bar)
        layout.addWidget(buttons)
        self.setTabOrder(self.print_button, self.save_button)
        self.setTabOrder(self.save_button, self.witness_check_box)
        self.setTabOrder(self.witness_check_box, self.close_button)
        self.print_button.setFocus()
        self._show_ready()

    @property
    def page_count(self) -> int:
        return self.pdf.pages

    @property
    def is_printing(self) -> bool:
        return self._job is not None

    def _show_ready(self) -> None:
        self.status_label.setText(f"{self.printed.title}, {pages_text(self.printed.pages)}.")

    # Witness line -----------------------------------------------------------------------

    def _on_witness_check_box_toggled(self, checked: bool) -> None:
        rebuild = self._rebuild
        if rebuild is None:
            return
        self._set_busy(True)
        with_or_without = "with" if checked else "without"
        self.status_label.setText(f"Preparing the packet {with_or_without} a witness line…")
        run_task(self, lambda: rebuild(checked), self._show_document, self._on_rebuild_failed)

    def _show_document(self, document: PrintedDocument) -> None:
        old = self.pdf
        self.printed = document
        self.pdf = PdfBytes(document.pdf, self)
        self.pdf_view.setDocument(self.pdf.document)
        old.document.deleteLater()
        self._set_busy(False)
        self._show_ready()
        self.document_changed.emit()

    def _on_rebuild_failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.witness_check_box.blockSignals(True)
        self.witness_check_box.setChecked(not self.witness_check_box.isChecked())
        self.witness_check_box.blockSignals(False)
        self._show_ready()
        messages.show_error(self, error)

    def _set_busy(self, busy: bool) -> None:
        for widget in (self.print_button, self.save_button, self.witness_check_box):
            widget.setEnabled(not busy)

    # Printing ---------------------------------------------------------------------------

    def print_document(self) -> bool:
        """Ask for a printer and start sending pages; False when the dialog was cancelled
        or the printer could not be opened. `printing_finished` follows."""
        if self._job is not None:
            return False
        printer = self._choose_printer(self)
        if printer is None:
            return False
        job = PrintJob(printer, [(self.printed.pdf, self.printed.pages)], self)
        job.page_sent.connect(self._on_job_page_sent)
        job.strip_drawn.connect(self._on_job_strip_drawn)
        job.failed.connect(self._on_job_failed)
        job.finished.connect(self._on_job_finished)
        try:
            job.start()
        except OSError as error:
            messages.show_error(self, error)
            return False
        self._job = job
        self.progress_bar.setRange(0, job.total_pages * STRIPS)
        self.progress_bar.setValue(0)
        self.progress_bar.show()
        self._set_busy(True)
        self.cancel_print_button.show()
        self.cancel_print_button.setEnabled(True)
        self.status_label.setText(f"Printing: 0 of {pages_text(job.total_pages)} sent…")
        return True

    def cancel_printing(self) -> None:
        if self._job is not None:
            self.cancel_print_button.setEnabled(False)
            self.status_label.setText("Stopping the print job…")
            self._job.cancel()

    def _on_job_strip_drawn(self) -> None:
        self.progress_bar.setValue(self.progress_bar.value() + 1)

    def _on_job_page_sent(self, _document: int, sent: int) -> None:
        job = self._job
        if job is None:
            return
        self.status_label.setText(f"Printing: {sent} of {pages_text(job.total_pages)} sent…")

    def _on_job_failed(self, error: Exception) -> None:
        messages.show_error(self, error)

    def _on_job_finished(self, sent: int, completed: bool) -> None:
        job, self._job = self._job, None
        self.progress_bar.hide()
        self.cancel_print_button.hide()
        self._set_busy(False)
        if completed and job is not None:
            self.status_label.setText(f"Sent {pages_text(sent)} to the printer.")
            document, printer = self.printed, job.printer.printerName()
            run_task(
                self,
                lambda: record_documents_printed(self.ctx, [document], printer=printer),
                lambda _none: None,
                lambda error: messages.show_error(self, error),
            )
        else:
            self.status_label.setText("Printing cancelled: the print job was withdrawn.")
        self.printing_finished.emit(sent, completed)

    def reject(self) -> None:
        if self._job is not None:  # closing mid-job withdraws it
            self._job.cancel()
        super().reject()

    # Saving -----------------------------------------------------------------------------

    def save_document(self) -> Path | None:
        path = self._choose_save_path(self, self.printed.file_name)
        if path is None:
            return None
        try:
            path.write_bytes(self.printed.pdf)
        except OSError as error:
            messages.show_error(self, error)
            return None
        self.status_label.setText(f"Saved to {path}.")
        document = self.printed
        run_task(
            self,
            lambda: record_documents_saved(self.ctx, [document]),
            lambda _none: None,
            lambda error: messages.show_error(self, error),
        )
        return path


def preview_consent_packet(
    ctx: Context,
    patient_id: int,
    parent: QWidget,
    *,
    include_witness: bool = False,
    **dialog_options: object,
) -> None:
    """Build the patient's consent packet in the background, then show it; the dialog can
    build it again with or without a witness line."""

    def build(witness: bool) -> PrintedDocument:
        return print_consent_packet(ctx, patient_id, include_witness=witness)

    options = {**dialog_options, "rebuild_with_witness": build, "include_witness": include_witness}
    _preview(parent, lambda: build(include_witness), ctx, options)


def preview_visit_summary(
    ctx: Context,
    patient_id: int,
    parent: QWidget,
    audience: Audience = Audience.PATIENT,
    **dialog_options: object,
) -> None:
    """Build the latest visit's summary (for the patient or the chart), then show it."""
    _preview(
        parent,
        lambda: print_visit_summary(ctx, patient_id, audience=audience),
        ctx,
        dialog_options,
    )


def _preview(
    parent: QWidget,
    build: Callable[[], PrintedDocument],
    ctx: Context,
    options: dict[str, object],
) -> None:
    def show(document: PrintedDocument) -> None:
        if document.kind is not DocumentKind.CONSENT_PACKET:
            options.pop("rebuild_with_witness", None)
        dialog = PrintPreviewDialog(ctx, document, parent, **options)  # type: ignore[arg-type]
        dialog.setObjectName("print_preview_dialog")
        dialog.open()

    def failed(error: Exception) -> None:
        messages.show_error(parent, error)

    run_task(parent, build, show, failed)
