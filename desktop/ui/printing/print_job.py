"""Send PDFs to a printer without stalling the window.

Each page is rendered at PRINT_DPI by a worker (QPdfDocument.render into a QImage is safe off
the GUI thread; each worker opens its own QPdfDocument from the bytes), one page ahead of the
printer. Painting on the QPrinter has to stay on the GUI thread, and drawing one 200 dpi page
into a print job costs ~60-90 ms there (the print engine compresses the image), so each page
is drawn in STRIPS horizontal strips, one per turn of the event loop: the window keeps
painting, the progress moves and Cancel is seen between strips (TECH-NOTES §2.5).
"""

from collections.abc import Sequence
from dataclasses import dataclass

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QObject, QRectF, QSize, Qt, QTimer
from PySide6.QtCore import Signal as QtSignal
from PySide6.QtGui import QImage, QPainter
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrinter

from desktop.ui.tasks import run_task

PRINT_DPI = 200
STRIPS = 6
"""Strips per page: ~10-15 ms of GUI-thread drawing each."""


class PdfBytes:
    """A QPdfDocument loaded from memory. The buffer and its byte array must outlive the
    document (TECH-NOTES §2.5), so all three are kept together."""

    def __init__(self, pdf: bytes, parent: QObject | None = None) -> None:
        self.data = QByteArray(pdf)
        self.buffer = QBuffer(self.data)
        self.buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document = QPdfDocument() if parent is None else QPdfDocument(parent)
        self.document.load(self.buffer)

    @property
    def pages(self) -> int:
        return self.document.pageCount()

    def close(self) -> None:
        self.document.close()
        self.buffer.close()


def pages_text(count: int) -> str:
    return f"{count} page" if count == 1 else f"{count} pages"


def render_page(pdf: bytes, index: int) -> QImage:
    """Page `index` at PRINT_DPI on white, without alpha (an opaque image is cheaper for the
    print engine to embed). Runs on a worker: the document is opened and closed here."""
    loaded = PdfBytes(pdf)
    try:
        points = loaded.document.pagePointSize(index)
        scale = PRINT_DPI / 72
        size = QSize(round(points.width() * scale), round(points.height() * scale))
        rendered = loaded.document.render(index, size)  # transparent where the page is blank
    finally:
        loaded.close()
    page = QImage(size, QImage.Format.Format_RGB32)
    page.fill(Qt.GlobalColor.white)
    painter = QPainter(page)
    painter.drawImage(0, 0, rendered)
    painter.end()
    return page


@dataclass(frozen=True, slots=True)
class _PageRef:
    document: int
    page: int


class PrintJob(QObject):
    """One print job over one or more PDFs, started with `start()`.

    `page_sent(document_number, pages_sent)` follows each finished page; `finished(pages_sent,
    completed)` comes once, with `completed` False when the job was cancelled (the printer
    job is then aborted: a half-printed packet is worse than none) or failed (`failed` first
    carries the error)."""

    page_sent = QtSignal(int, int)
    strip_drawn = QtSignal()
    failed = QtSignal(object)
    finished = QtSignal(int, bool)

    def __init__(
        self,
        printer: QPrinter,
        documents: Sequence[tuple[bytes, int]],
        parent: QObject | None = None,
    ) -> None:
        """`documents`: each PDF with its page count."""
        super().__init__(parent)
        self.printer = printer
        self._pdfs = [pdf for pdf, _ in documents]
        self._pages = [
            _PageRef(d, p) for d, (_, count) in enumerate(documents) for p in range(count)
        ]
        self._painter = QPainter()
        self._images: dict[int, QImage] = {}
        self._next_page = 0
        self._next_strip = 0
        self._requested = -1
        self._cancelled = False
        self._done = False
        self._step_pending = False
        self.pages_sent = 0

    @property
    def total_pages(self) -> int:
        return len(self._pages)

    @property
    def document_number(self) -> int:
        """1-based number of the document being sent (or last sent)."""
        index = min(self._next_page, len(self._pages) - 1)
        return self._pages[index].document + 1 if self._pages else 0

    def start(self) -> None:
        """Open the print job and ask for the first page; raises OSError when the printer
        cannot be opened."""
        if not self._painter.begin(self.printer):
            raise OSError("The printer could not be opened.")
        if not self._pages:
            self._finish(completed=True)
            return
        self._request(0)

    def cancel(self) -> None:
        """Stop at the next strip: nothing more is drawn and the job is aborted."""
        self._cancelled = True
        self._schedule()  # ends at the next turn, even while waiting for a render

    def _request(self, number: int) -> None:
        if number >= len(self._pages) or number <= self._requested:
            return
        self._requested = number
        ref = self._pages[number]
        pdf = self._pdfs[ref.document]
        run_task(
            self,
            lambda: render_page(pdf, ref.page),
            lambda image: self._rendered(number, image),
            self._render_failed,
        )

    def _rendered(self, number: int, image: QImage) -> None:
        if self._done:
            return
        self._images[number] = image
        if number == self._next_page:
            self._schedule()

    def _render_failed(self, error: Exception) -> None:
        if self._done:
            return
        self.failed.emit(error)
        self._abort()

    def _schedule(self) -> None:
        """Run `_step` at the next turn of the event loop (once, however often asked)."""
        if not self._step_pending and not self._done:
            self._step_pending = True
            QTimer.singleShot(0, self._step)

    def _step(self) -> None:
        """Draw one strip of the current page, if it has been rendered."""
        self._step_pending = False
        if self._done:
            return
        if self._cancelled:
            self._abort()
            return
        image = self._images.get(self._next_page)
        if image is None:
            return  # its render arrives later and schedules the next step
        if self._next_strip == 0:
            self._request(self._next_page + 1)  # render ahead while this page is drawn
            if self.pages_sent:
                self.printer.newPage()
        self._draw_strip(image, self._next_strip)
        self._next_strip += 1
        self.strip_drawn.emit()
        if self._next_strip < STRIPS:
            self._schedule()
            return
        del self._images[self._next_page]
        self._next_page += 1
        self._next_strip = 0
        self.pages_sent += 1
        self.page_sent.emit(self._pages[self._next_page - 1].document + 1, self.pages_sent)
        if self._next_page >= len(self._pages):
            self._finish(completed=True)
        elif self._next_page in self._images:
            self._schedule()

    def _draw_strip(self, image: QImage, strip: int) -> None:
        """Rows [top, bottom) of the image into the same share of the printer's page, with one
        row more below (the next strip paints over it), so no seam shows between strips."""
        page = QRectF(self.printer.pageRect(QPrinter.Unit.DevicePixel))
        top = image.height() * strip // STRIPS
        bottom = min(image.height() * (strip + 1) // STRIPS + 1, image.height())
        scale = page.height() / image.height()
        target = QRectF(page.left(), page.top() + top * scale, page.width(), (bottom - top) * scale)
        source = QRectF(0, top, image.width(), bottom - top)
        self._painter.drawImage(target, image, source)

    def _abort(self) -> None:
        self.printer.abort()
        self._finish(completed=False)

    def _finish(self, *, completed: bool) -> None:
        self._done = True
        self._images.clear()
        if self._painter.isActive():
            self._painter.end()
        self.finished.emit(self.pages_sent, completed)
