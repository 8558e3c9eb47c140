"""The clinic's own PDF forms inside a packet: each page shrunk onto an IsoTrack page.

ReportLab lays out one empty "slot" page per attached page, so the letterhead, patient band
and "Page X of Y" of the whole packet are drawn by the same code as every other page. pypdf
then places the attached page, scaled to fit the body area (never enlarged) and clipped to its
crop box, onto its slot. Nothing the clinic's form prints can cover the band or the numbering.
"""

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pypdf import PageObject, PdfReader, PdfWriter, Transformation
from pypdf.errors import PyPdfError
from reportlab.platypus import Flowable, PageBreak

from desktop.documents.data import ClinicAttachment
from desktop.documents.page import DocumentError, PageDecorator, SectionLabel
from desktop.documents.styles import PdfStyles


@dataclass(frozen=True, slots=True)
class AttachedPage:
    title: str
    number: int
    """1-based, within its attachment."""
    count: int
    page: PageObject
    width: float
    height: float

    @property
    def label(self) -> str:
        return f"Clinic form: {self.title} ({self.number}/{self.count})"


@dataclass(frozen=True, slots=True)
class Placement:
    scale: float
    x: float
    y: float
    width: float
    height: float


def read_attachments(attachments: tuple[ClinicAttachment, ...]) -> tuple[AttachedPage, ...]:
    """Every page of every attachment, in order; DocumentError names an unreadable one."""
    pages: list[AttachedPage] = []
    for attachment in attachments:
        pages += _pages(attachment)
    return tuple(pages)


def _pages(attachment: ClinicAttachment) -> list[AttachedPage]:
    problem = f"The attached form “{attachment.title}” could not be read as a PDF."
    try:
        reader = PdfReader(BytesIO(attachment.pdf))
        if reader.is_encrypted:
            reader.decrypt("")
        # A writer copy: pypdf only rewrites a page's content (to undo /Rotate) inside a writer.
        found = list(PdfWriter(clone_from=reader).pages)
        for page in found:
            if page.rotation:
                page.transfer_rotation_to_content()
        boxes = [(float(page.cropbox.width), float(page.cropbox.height)) for page in found]
    except (PyPdfError, ValueError, KeyError, TypeError) as error:
        raise DocumentError(problem) from error
    if not found or any(w <= 0 or h <= 0 for w, h in boxes):
        raise DocumentError(problem)
    return [
        AttachedPage(attachment.title, number, len(found), page, width, height)
        for number, (page, (width, height)) in enumerate(zip(found, boxes, strict=True), 1)
    ]


def placement(attached: AttachedPage, styles: PdfStyles) -> Placement:
    """Where the attached page lands: centred across, at the top of the body area."""
    page = styles.page
    scale = min(1.0, page.frame_width / attached.width, page.frame_height / attached.height)
    width, height = attached.width * scale, attached.height * scale
    x = page.margin_left + (page.frame_width - width) / 2
    y = page.margin_bottom + page.frame_height - height
    return Placement(scale, x, y, width, height)


class AttachmentSlot(Flowable):  # type: ignore[misc]
    """Fills one whole body frame, outlines where the attached page goes, and records which
    packet page it landed on."""

    def __init__(self, outline: Placement, styles: PdfStyles, landed: list[int]) -> None:
        super().__init__()
        self._outline, self._styles, self._landed = outline, styles, landed

    def wrap(self, available_width: float, available_height: float) -> tuple[float, float]:
        self.width, self.height = available_width, available_height - 0.01
        return self.width, self.height

    def draw(self) -> None:
        self._landed.append(self.canv.getPageNumber())
        outline, page = self._outline, self._styles.page
        self.canv.setStrokeColor(self._styles.colors["grid"])
        self.canv.setLineWidth(0.5)
        # The flowable's origin is its frame position; the outline is in page coordinates.
        self.canv.rect(
            outline.x - page.margin_left,
            outline.y - page.margin_bottom - 0.01,
            outline.width,
            outline.height,
        )


def slot_story(
    pages: tuple[AttachedPage, ...],
    styles: PdfStyles,
    decorator: PageDecorator,
    landed: list[int],
) -> list[Any]:
    story: list[Any] = []
    for attached in pages:
        story += [PageBreak(), SectionLabel(decorator, attached.label)]
        story.append(AttachmentSlot(placement(attached, styles), styles, landed))
    return story


def merge_attachments(
    pdf: bytes, pages: tuple[AttachedPage, ...], landed: list[int], styles: PdfStyles
) -> bytes:
    """`pdf` with each attached page drawn onto the slot page it was given."""
    if len(landed) != len(pages):
        raise DocumentError("The attached forms could not be placed in the packet.")
    writer = PdfWriter(clone_from=PdfReader(BytesIO(pdf)))
    for attached, page_number in zip(pages, landed, strict=True):
        where = placement(attached, styles)
        box = attached.page.cropbox
        move = (
            Transformation()
            .translate(-float(box.left), -float(box.bottom))
            .scale(where.scale, where.scale)
            .translate(where.x, where.y)
        )
        writer.pages[page_number - 1].merge_transformed_page(attached.page, move)
    buffer = BytesIO()
    writer.write(buffer)
    return buffer.getvalue()
