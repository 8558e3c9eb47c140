"""Bundled fonts and named paragraph styles, built from the data in resources/styles/pdf.toml."""

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from reportlab.lib.colors import Color, HexColor
from reportlab.lib.enums import TA_CENTER, TA_JUSTIFY, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4, LETTER
from reportlab.lib.styles import ParagraphStyle
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop.documents import fallback_font
from desktop.documents.data import DocumentAssets, FontFiles

FONT_NAMES = {
    "regular": "DejaVuSans",
    "bold": "DejaVuSans-Bold",
    "italic": "DejaVuSans-Oblique",
    "bold_italic": "DejaVuSans-BoldOblique",
}
"""ReportLab names of the four faces; `FONT_NAMES["regular"]` is the family name for <b>/<i>."""
BASE_FONT = FONT_NAMES["regular"]

PAGE_SIZES = {"letter": LETTER, "a4": A4}
ALIGNMENTS = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT, "justify": TA_JUSTIFY}
PARAGRAPH_KEYS = frozenset(
    {"face", "size", "leading", "space_before", "space_after", "left_indent",
     "first_line_indent", "color", "align"}
)  # fmt: skip
PAGE_KEYS = frozenset({"size", "margin_left", "margin_right", "margin_top", "margin_bottom"})
REQUIRED_PARAGRAPHS = frozenset(
    {"title", "subtitle", "heading", "body", "bullet", "statement", "statement_number",
     "initials", "cell", "cell_header", "label", "caption", "flag", "callout", "band",
     "letterhead_name", "letterhead_detail", "document_title", "footer"}
)  # fmt: skip
REQUIRED_COLORS = frozenset(
    {"ink", "muted", "accent", "band", "band_edge", "rule", "grid", "shade", "alert"}
)

_registration_lock = threading.Lock()


class StyleError(ValueError):
    """resources/styles/pdf.toml does not describe a usable style sheet."""


@dataclass(frozen=True, slots=True)
class PageGeometry:
    width: float
    height: float
    margin_left: float
    margin_right: float
    margin_top: float
    margin_bottom: float

    @property
    def frame_width(self) -> float:
        return self.width - self.margin_left - self.margin_right

    @property
    def frame_height(self) -> float:
        return self.height - self.margin_top - self.margin_bottom


@dataclass(frozen=True, slots=True)
class PdfStyles:
    page: PageGeometry
    colors: Mapping[str, Color]
    paragraphs: Mapping[str, ParagraphStyle]

    def __getitem__(self, name: str) -> ParagraphStyle:
        return self.paragraphs[name]

    def font(self, face: str = "regular") -> str:
        return FONT_NAMES[face]


def register_fonts(fonts: FontFiles) -> None:
    """Register the DejaVu family once per process (safe to call from every build and thread).

    registerFontFamily maps <b>, <i> and <b><i> to the right face; without it ReportLab
    would fall back to Helvetica, which is neither embedded nor able to show every name."""
    with _registration_lock:
        if BASE_FONT in pdfmetrics.getRegisteredFontNames():
            return
        paths = {"regular": fonts.regular, "bold": fonts.bold,
                 "italic": fonts.italic, "bold_italic": fonts.bold_italic}  # fmt: skip
        for face, name in FONT_NAMES.items():
            pdfmetrics.registerFont(TTFont(name, paths[face]))
        pdfmetrics.registerFontFamily(
            BASE_FONT,
            normal=FONT_NAMES["regular"],
            bold=FONT_NAMES["bold"],
            italic=FONT_NAMES["italic"],
            boldItalic=FONT_NAMES["bold_italic"],
        )
        fallback_font.configure(BASE_FONT, fonts.fallbacks)


def prepare_styles(assets: DocumentAssets) -> PdfStyles:
    """Fonts registered and the style sheet built: the first step of every builder."""
    register_fonts(assets.fonts)
    return build_styles(assets.styles)


def build_styles(data: Mapping[str, Any]) -> PdfStyles:
    _only_keys(data, {"page", "colors", "paragraph"}, "pdf.toml")
    colors = _colors(_table(data.get("colors"), "colors"))
    paragraphs = {
        name: _paragraph_style(name, _table(spec, f"paragraph.{name}"), colors)
        for name, spec in _table(data.get("paragraph"), "paragraph").items()
    }
    if missing := REQUIRED_PARAGRAPHS - paragraphs.keys():
        raise StyleError(f"pdf.toml: missing paragraph styles: {', '.join(sorted(missing))}")
    page = _page(_table(data.get("page"), "page"))
    return PdfStyles(page=page, colors=colors, paragraphs=paragraphs)


def _page(data: Mapping[str, Any]) -> PageGeometry:
    _only_keys(data, PAGE_KEYS, "page")
    if missing := PAGE_KEYS - data.keys():
        raise StyleError(f"page: missing {', '.join(sorted(missing))}")
    if data["size"] not in PAGE_SIZES:
        raise StyleError(f"page.size: expected one of {', '.join(PAGE_SIZES)}")
    width, height = PAGE_SIZES[data["size"]]
    margins = {key: _number(data, key, "page") for key in PAGE_KEYS - {"size"}}
    return PageGeometry(width=width, height=height, **margins)


def _colors(data: Mapping[str, Any]) -> dict[str, Color]:
    if missing := REQUIRED_COLORS - data.keys():
        raise StyleError(f"colors: missing {', '.join(sorted(missing))}")
    try:
        return {name: HexColor(str(value)) for name, value in data.items()}
    except ValueError as error:
        raise StyleError(f"colors: {error}") from error


def _paragraph_style(
    name: str, data: Mapping[str, Any], colors: Mapping[str, Color]
) -> ParagraphStyle:
    where = f"paragraph.{name}"
    _only_keys(data, PARAGRAPH_KEYS, where)
    face, color, align = data.get("face"), data.get("color", "ink"), data.get("align", "left")
    if face not in FONT_NAMES:
        raise StyleError(f"{where}.face: expected one of {', '.join(FONT_NAMES)}")
    if color not in colors:
        raise StyleError(f"{where}.color: {color!r} is not in [colors]")
    if align not in ALIGNMENTS:
        raise StyleError(f"{where}.align: expected one of {', '.join(ALIGNMENTS)}")
    return ParagraphStyle(
        name,
        fontName=FONT_NAMES[face],
        fontSize=_number(data, "size", where),
        leading=_number(data, "leading", where),
        spaceBefore=_number(data, "space_before", where, 0),
        spaceAfter=_number(data, "space_after", where, 0),
        leftIndent=_number(data, "left_indent", where, 0),
        firstLineIndent=_number(data, "first_line_indent", where, 0),
        textColor=colors[color],
        alignment=ALIGNMENTS[align],
    )


def _number(data: Mapping[str, Any], key: str, where: str, default: float | None = None) -> float:
    value = data.get(key, default)
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise StyleError(f"{where}.{key}: expected a number")
    return float(value)


def _table(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise StyleError(f"pdf.toml: [{where}] must be a table")
    return value


def _only_keys(data: Mapping[str, Any], allowed: frozenset[str] | set[str], where: str) -> None:
    if unknown := data.keys() - allowed:
        raise StyleError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
