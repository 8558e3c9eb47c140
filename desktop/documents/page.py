"""What every page carries: letterhead, patient band, title, print date, "Page X of Y", metadata."""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from io import BytesIO
from typing import Any

from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.utils import ImageReader
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    BaseDocTemplate,
    Flowable,
    Frame,
    KeepTogether,
    PageTemplate,
    Paragraph,
    Table,
)
from reportlab.platypus import TableStyle as RlTableStyle

from desktop.documents.data import ClinicLetterhead, PatientBand
from desktop.documents.markup import escape_markup
from desktop.documents.styles import BASE_FONT, PdfStyles

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
LETTERHEAD_TOP = 36.0
LOGO_MAX_HEIGHT = 36.0
LOGO_MAX_WIDTH = 110.0
TITLE_WIDTH = 170.0
BAND_HEIGHT = 30.0
BAND_IDS_WIDTH = 150.0
"""Right-hand part of the band: date of birth and MRN, one per line."""
BAND_GAP = 8.0
"""Space between the band and the first line of the page body."""
MIN_FIT_SIZE = 5.0
MIN_ROOM_TO_START_LONG_SECTION = 120.0
FOOTER_RULE_ABOVE_MARGIN = 22.0


class DocumentError(ValueError):
    """The document's input cannot be printed (an unreadable logo or attachment)."""


def format_date(day: date) -> str:
    """ "Nov 20, 2026": unambiguous on both sides of the Atlantic and free of the locale."""
    return f"{MONTHS[day.month - 1]} {day.day}, {day.year}"


@dataclass(frozen=True, slots=True)
class PageFrame:
    """What repeats on every page of one document."""

    clinic: ClinicLetterhead
    patient: PatientBand
    title: str
    printed_on: date


@dataclass(frozen=True, slots=True)
class PdfMetadata:
    """Document properties. Kept free of patient details: print queues and file browsers
    show the title, and patient data must not reach logs (domain.md §6 PHI)."""

    title: str
    subject: str
    keywords: tuple[str, ...]
    author: str
    """The clinic."""


def text(content: str, style: ParagraphStyle) -> Paragraph:
    """A Paragraph showing `content` exactly as given (never parsed as markup)."""
    return Paragraph(escape_markup(content), style)


def data_table(
    rows: Sequence[Sequence[Any]],
    widths: Sequence[float],
    styles: PdfStyles,
    *,
    header_rows: int = 1,
    extra: Sequence[tuple[Any, ...]] = (),
) -> Table:
    """A left-aligned grid whose every cell, empty ones included, is in the embedded font:
    a Table falls back to Helvetica for any cell FONTNAME does not cover (TECH-NOTES §2.2)."""
    table = Table(
        list(rows),
        colWidths=list(widths),
        repeatRows=header_rows,
        hAlign="LEFT",
        # A row taller than the room left splits across pages, its paragraphs line by line:
        # a long note would otherwise stop the build with a LayoutError. (A larger minimum
        # part height fails a remainder that is a hair too tall for a whole page.)
        splitInRow=1,
    )
    commands: list[tuple[Any, ...]] = [
        ("FONTNAME", (0, 0), (-1, -1), BASE_FONT),
        ("FONTSIZE", (0, 0), (-1, -1), styles["cell"].fontSize),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4),
        ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header_rows:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_rows - 1), styles.colors["shade"]),
            ("LINEBELOW", (0, header_rows - 1), (-1, header_rows - 1), 0.6, styles.colors["rule"]),
        ]
    table.setStyle(RlTableStyle([*commands, *extra]))
    return table


class PageDecorator:
    """Draws the letterhead, patient band and footer text at the end of each page.

    Called at page end, so a `SectionLabel` placed on the page has already run and the footer
    names the form the page belongs to. The band and letterhead are laid out once and reused."""

    def __init__(self, frame: PageFrame, styles: PdfStyles) -> None:
        self.section = ""
        self._frame, self._styles, self._page = frame, styles, styles.page
        self._logo = _logo(frame.clinic.logo_png)
        logo_width = _logo_width(self._logo)
        self._text_left = self._page.margin_left + (logo_width + 8 if logo_width else 0)
        letterhead_width = self._page.margin_left + self._page.frame_width - TITLE_WIDTH
        letterhead_width -= self._text_left + 8
        room = self._letterhead_room()
        clinic = frame.clinic
        self._clinic = _fitted_or_shortened(
            clinic.name, escape_markup, styles["letterhead_name"], letterhead_width, room / 2
        )
        self._details = _fitted_or_shortened(
            " · ".join(clinic.address_lines),
            lambda address: _details_markup(address, clinic.phone),
            styles["letterhead_detail"],
            letterhead_width,
            room - self._clinic[1],
        )
        self._title = _fitted(escape_markup(frame.title), styles["document_title"], TITLE_WIDTH, 26)
        name_width = self._page.frame_width - BAND_IDS_WIDTH
        patient = frame.patient
        # The legal name identifies the patient and is never cut; a preferred name that
        # leaves no room for it is.
        self._name = _fitted_or_shortened(
            patient.preferred_name or "",
            lambda preferred: _name_markup(patient.name, preferred),
            styles["band"],
            name_width - 8,
            BAND_HEIGHT - 4,
        )
        self._ids = _fitted(
            _ids_markup(frame.patient),
            styles["band"],
            self._page.frame_width - name_width - 8,
            BAND_HEIGHT - 4,
        )

    def _letterhead_room(self) -> float:
        return self._page.margin_top - LETTERHEAD_TOP - BAND_HEIGHT - BAND_GAP - 6

    def __call__(self, canvas: Canvas, _doc: object) -> None:
        canvas.saveState()
        self._draw_letterhead(canvas)
        self._draw_band(canvas)
        self._draw_footer(canvas)
        canvas.restoreState()

    def _draw_letterhead(self, canvas: Canvas) -> None:
        top = self._page.height - LETTERHEAD_TOP
        if self._logo is not None:
            width = _logo_width(self._logo)
            canvas.drawImage(
                self._logo,
                self._page.margin_left,
                top - LOGO_MAX_HEIGHT,
                width=width,
                height=LOGO_MAX_HEIGHT,
                preserveAspectRatio=True,
                anchor="nw",
                mask="auto",
            )
        (clinic, clinic_height), (details, details_height) = self._clinic, self._details
        clinic.drawOn(canvas, self._text_left, top - clinic_height)
        details.drawOn(canvas, self._text_left, top - clinic_height - details_height)
        title, title_height = self._title
        title.drawOn(
            canvas, self._page.width - self._page.margin_right - TITLE_WIDTH, top - title_height
        )

    def _draw_band(self, canvas: Canvas) -> None:
        left, bottom = self._page.margin_left, self._band_bottom()
        width = self._page.frame_width
        canvas.setFillColor(self._styles.colors["band"])
        canvas.setStrokeColor(self._styles.colors["band_edge"])
        canvas.setLineWidth(0.6)
        canvas.rect(left, bottom, width, BAND_HEIGHT, stroke=1, fill=1)
        for (paragraph, height), x in (
            (self._name, left + 4),
            (self._ids, left + width - BAND_IDS_WIDTH + 4),
        ):
            paragraph.drawOn(canvas, x, bottom + (BAND_HEIGHT - height) / 2)

    def _band_bottom(self) -> float:
        return self._page.height - self._page.margin_top + BAND_GAP

    def _draw_footer(self, canvas: Canvas) -> None:
        y = self._page.margin_bottom - FOOTER_RULE_ABOVE_MARGIN
        canvas.setStrokeColor(self._styles.colors["rule"])
        canvas.setLineWidth(0.5)
        canvas.line(
            self._page.margin_left, y + 10, self._page.width - self._page.margin_right, y + 10
        )
        style = self._styles["footer"]
        canvas.setFont(style.fontName, style.fontSize)
        canvas.setFillColor(style.textColor)
        label = " · ".join(part for part in (self._frame.title, self.section) if part)
        canvas.drawString(self._page.margin_left, y, label)


class Section(KeepTogether):  # type: ignore[misc]
    """A section kept whole on one page when it fits on one (it never starts at the foot of a
    page and runs on overleaf). A section longer than a whole page (a long note) starts where
    it is, given room for its heading and a few lines, instead of leaving a page half blank."""

    def split(self, available_width: float, available_height: float) -> list[Flowable]:
        if getattr(self, "_wrapInfo", None) != (available_width, available_height):
            self.wrap(available_width, available_height)
        frame = getattr(self, "_frame", None)
        section_height: float = self._H
        if (
            frame is not None
            and section_height > frame._height
            and available_height >= MIN_ROOM_TO_START_LONG_SECTION
        ):
            return list(self._content)
        return list(super().split(available_width, available_height))


class SectionLabel(Flowable):  # type: ignore[misc]
    """Invisible marker: from this point on, the footer names `label` (e.g. a form version)."""

    def __init__(self, decorator: PageDecorator, label: str) -> None:
        super().__init__()
        self._decorator, self._label = decorator, label
        self.width = self.height = 0

    def wrap(self, _available_width: float, _available_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self._decorator.section = self._label


class NumberedCanvas(Canvas):  # type: ignore[misc]
    """Holds every page back until the end, then writes "Printed <date> · Page X of Y" on each
    (one pass; the page count is only known once the story has been laid out)."""

    def __init__(self, *args: Any, footer: "FooterNumbering", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._footer = footer
        self._held_pages: list[dict[str, Any]] = []
        stamp = f"D:{footer.printed_on:%Y%m%d}000000+00'00'"
        self.setDateFormatter(lambda *_parts: stamp)

    def showPage(self) -> None:  # noqa: N802 (ReportLab's name)
        self._held_pages.append(dict(self.__dict__))
        self._startPage()

    def save(self) -> None:
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            self._footer.draw(self, number, total)
            super().showPage()
        super().save()


@dataclass(frozen=True, slots=True)
class FooterNumbering:
    printed_on: date
    right: float
    y: float
    style: ParagraphStyle

    def draw(self, canvas: Canvas, number: int, total: int) -> None:
        canvas.saveState()
        canvas.setFont(self.style.fontName, self.style.fontSize)
        canvas.setFillColor(self.style.textColor)
        label = f"Printed {format_date(self.printed_on)} · Page {number} of {total}"
        canvas.drawRightString(self.right, self.y, label)
        canvas.restoreState()


def render(
    story: Sequence[Flowable],
    *,
    styles: PdfStyles,
    decorator: PageDecorator,
    frame: PageFrame,
    metadata: PdfMetadata,
) -> bytes:
    """Lay out `story` on pages that all carry the decorator, numbering and metadata."""
    buffer = BytesIO()
    page = styles.page
    document = BaseDocTemplate(
        buffer,
        pagesize=(page.width, page.height),
        leftMargin=page.margin_left,
        rightMargin=page.margin_right,
        topMargin=page.margin_top,
        bottomMargin=page.margin_bottom,
        title=metadata.title,
        author=metadata.author,
        subject=metadata.subject,
        creator="IsoTrack",
        keywords=list(metadata.keywords),
        lang="en-US",
        initialFontName=BASE_FONT,
        invariant=True,
    )
    body = Frame(
        page.margin_left,
        page.margin_bottom,
        page.frame_width,
        page.frame_height,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
        id="body",
    )
    document.addPageTemplates([PageTemplate(id="page", frames=[body], onPageEnd=decorator)])
    footer = FooterNumbering(
        printed_on=frame.printed_on,
        right=page.width - page.margin_right,
        y=page.margin_bottom - FOOTER_RULE_ABOVE_MARGIN,
        style=styles["footer"],
    )
    document.build(list(story), canvasmaker=_numbered_canvas(footer))
    return buffer.getvalue()


def _numbered_canvas(footer: FooterNumbering) -> Callable[..., NumberedCanvas]:
    def make(*args: Any, **kwargs: Any) -> NumberedCanvas:
        return NumberedCanvas(*args, footer=footer, **kwargs)

    return make


def _logo(png: bytes | None) -> ImageReader | None:
    if png is None:
        return None
    try:
        reader = ImageReader(BytesIO(png))
        reader.getSize()
    except Exception as error:  # ReportLab/Pillow raise many kinds for a bad image
        raise DocumentError("The clinic logo is not a readable image.") from error
    return reader


def _logo_width(logo: ImageReader | None) -> float:
    if logo is None:
        return 0.0
    width, height = logo.getSize()
    return float(min(LOGO_MAX_WIDTH, LOGO_MAX_HEIGHT * width / max(height, 1)))


def _details_markup(address: str, phone: str) -> str:
    phone = " ".join(phone.split())  # one line, whatever was typed
    phone_markup = f"Phone {escape_markup(phone)}" if phone else ""
    return "<br/>".join(part for part in (escape_markup(address), phone_markup) if part)


def _name_markup(name: str, preferred_name: str) -> str:
    markup = f"<b>{escape_markup(name)}</b>"
    if preferred_name:
        markup += f" · prefers “{escape_markup(preferred_name)}”"
    return markup


def _ids_markup(patient: PatientBand) -> str:
    born = format_date(patient.birth_date)
    return f"DOB <b>{born}</b><br/>MRN <b>{escape_markup(patient.mrn)}</b>"


def _fitted(
    markup: str, style: ParagraphStyle, width: float, max_height: float
) -> tuple[Paragraph, float]:
    """The paragraph at the largest size (down to MIN_FIT_SIZE) that fits the box, so a
    200-character name shrinks instead of running into the page body."""
    size = style.fontSize
    while True:
        paragraph, height = _wrapped(markup, style, size, width, max_height)
        if height <= max_height or size <= MIN_FIT_SIZE:
            return paragraph, height
        size -= 0.5


def _fitted_or_shortened(
    text: str,
    markup: Callable[[str], str],
    style: ParagraphStyle,
    width: float,
    max_height: float,
) -> tuple[Paragraph, float]:
    """`markup(text)` fitted to the box; when even the smallest size overflows it (into the
    band or the page body), `text` is cut to the longest start that fits, ending in "…"."""
    fitted = _fitted(markup(text), style, width, max_height)
    if fitted[1] <= max_height:
        return fitted
    shortest, longest = 0, len(text) - 1  # shortest: "…" alone
    while shortest < longest:
        middle = (shortest + longest + 1) // 2
        _, height = _wrapped(markup(_cut(text, middle)), style, MIN_FIT_SIZE, width, max_height)
        if height <= max_height:
            shortest = middle
        else:
            longest = middle - 1
    return _wrapped(markup(_cut(text, shortest)), style, MIN_FIT_SIZE, width, max_height)


def _cut(text: str, length: int) -> str:
    return text[:length].rstrip() + "…"


def _wrapped(
    markup: str, style: ParagraphStyle, size: float, width: float, max_height: float
) -> tuple[Paragraph, float]:
    sized = ParagraphStyle(
        f"{style.name}-{size}",
        parent=style,
        fontSize=size,
        leading=size * style.leading / style.fontSize,
    )
    paragraph = Paragraph(markup, sized)
    _, height = paragraph.wrap(width, max_height)
    return paragraph, float(height)
