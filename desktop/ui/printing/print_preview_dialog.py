"""Preview a printed document in Qt's PDF view, then print it or save it.

The PDF arrives as bytes from the printing service; the UI never builds one. Printing renders
each page at 200 dpi into the chosen printer (TECH-NOTES §2.5), so what comes out is exactly
what the preview showed.
"""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QSize
from PySide6.QtGui import QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.services.context import Context
from desktop.services.printing import (
    Audience,
    PrintedDocument,
    print_consent_packet,
    print_visit_summary,
)
from desktop.ui import messages
from desktop.ui.tasks import run_task

PRINT_DPI = 200

ChoosePrinter = Callable[[QWidget], QPrinter | None]
ChooseSavePath = Callable[[QWidget, str], Path | None]


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


class PdfBytes:
    """A QPdfDocument loaded from memory. The buffer and its byte array must outlive the
    document (TECH-NOTES §2.5), so all three are kept together."""

    def __init__(self, pdf: bytes, parent: QObject) -> None:
        self.data = QByteArray(pdf)
        self.buffer = QBuffer(self.data)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument(parent)
        self.document.load(self.buffer)

    @property
    def pages(self) -> int:
        return self.document.pageCount()


def print_pages(document: QPdfDocument, printer: QPrinter) -> int:
    """Every page rendered at PRINT_DPI and drawn to fill the printer's page; returns the
    number of pages sent."""
    painter = QPainter()
    if not painter.begin(printer):
        raise OSError("The printer could not be opened.")
    try:
        return paint_document(painter, printer, document)
    finally:
        painter.end()


def paint_document(painter: QPainter, printer: QPrinter, document: QPdfDocument) -> int:
    """Draw every page of `document` into a print job just begun."""
    count = document.pageCount()
    for index in range(count):
        paint_page(painter, printer, document, index, new_sheet=index > 0)
    return count


def paint_page(
    painter: QPainter, printer: QPrinter, document: QPdfDocument, index: int, *, new_sheet: bool
) -> None:
    """Page `index` rendered at PRINT_DPI and drawn to fill the printer's page."""
    if new_sheet:
        printer.newPage()
    scale = PRINT_DPI / 72
    points = document.pagePointSize(index)
    image = document.render(
        index, QSize(round(points.width() * scale), round(points.height() * scale))
    )
    painter.drawImage(printer.pageRect(QPrinter.Unit.DevicePixel).toRect(), image)


class PrintPreviewDialog(QDialog):
    """The document as it will print, with Print…, Save as… and Close."""

    def __init__(
        self,
        ctx: Context,
        document: PrintedDocument,
        parent: QWidget | None = None,
        *,
        choose_printer: ChoosePrinter = system_printer,
        choose_save_path: ChooseSavePath = ask_save_path,
    ) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.printed = document
        self._choose_printer = choose_printer
        self._choose_save_path = choose_save_path
        self.setWindowTitle(f"{document.title}: {document.patient_name} ({document.mrn})")
        self.resize(820, 960)

        self.pdf = PdfBytes(document.pdf, self)
        self.pdf_view = QPdfView(self)
        self.pdf_view.setPageMode(QPdfView.PageMode.MultiPage)
        self.pdf_view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.pdf_view.setDocument(self.pdf.document)

        noun = "page" if document.pages == 1 else "pages"
        self.status_label = QLabel(f"{document.title}, {document.pages} {noun}.")
        self.status_label.setWordWrap(True)

        buttons = QDialogButtonBox()
        self.print_button = QPushButton("&Print…")
        self.save_button = QPushButton("&Save as…")
        self.close_button = buttons.addButton(QDialogButtonBox.StandardButton.Close)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_document)
        buttons.rejected.connect(self.reject)
        self.print_button.setDefault(True)

        layout = QVBoxLayout(self)
        layout.addWidget(self.pdf_view, 1)
        layout.addWidget(self.status_label)
        layout.addWidget(buttons)
        self.setTabOrder(self.print_button, self.save_button)
        self.setTabOrder(self.save_button, self.close_button)
        self.print_button.setFocus()

    @property
    def page_count(self) -> int:
        return self.pdf.pages

    def print_document(self) -> bool:
        printer = self._choose_printer(self)
        if printer is None:
            return False
        try:
            sent = print_pages(self.pdf.document, printer)
        except OSError as error:
            messages.show_error(self, error)
            return False
        noun = "page" if sent == 1 else "pages"
        self.status_label.setText(f"Sent {sent} {noun} to the printer.")
        return True

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
        return path


def preview_consent_packet(
    ctx: Context, patient_id: int, parent: QWidget, **dialog_options: object
) -> None:
    """Build the patient's consent packet in the background, then show it."""
    _preview(parent, lambda: print_consent_packet(ctx, patient_id), ctx, dialog_options)


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
        dialog = PrintPreviewDialog(ctx, document, parent, **options)  # type: ignore[arg-type]
        dialog.setObjectName("print_preview_dialog")
        dialog.open()

    def failed(error: Exception) -> None:
        messages.show_error(parent, error)

    run_task(parent, build, show, failed)
