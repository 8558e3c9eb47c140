"""Reading built PDFs back with pypdf: page texts, fonts, metadata."""

from dataclasses import dataclass
from io import BytesIO
from typing import Any

from pypdf import PdfReader
from pypdf.generic import DictionaryObject


@dataclass(frozen=True, slots=True)
class FontUse:
    name: str
    is_embedded: bool


def reader(pdf: bytes) -> PdfReader:
    return PdfReader(BytesIO(pdf))


def page_texts(pdf: bytes) -> list[str]:
    return [page.extract_text() for page in reader(pdf).pages]


def squash(text: str) -> str:
    """Text without any whitespace: wrapping and pdf text extraction move spaces and line
    breaks around (TECH-NOTES §2.2), so comparisons ignore them."""
    return "".join(text.split())


def fonts(pdf: bytes) -> set[FontUse]:
    """Every font any page (or form XObject on it) refers to."""
    found: set[FontUse] = set()
    for page in reader(pdf).pages:
        _collect(page.get("/Resources"), found)
    return found


def _collect(resources: Any, found: set[FontUse]) -> None:
    resources = _resolve(resources)
    if not isinstance(resources, DictionaryObject):
        return
    for font in _resolve(resources.get("/Font", DictionaryObject())).values():
        found.add(_font_use(_resolve(font)))
    for xobject in _resolve(resources.get("/XObject", DictionaryObject())).values():
        _collect(_resolve(xobject).get("/Resources"), found)


def _font_use(font: DictionaryObject) -> FontUse:
    descriptor = font.get("/FontDescriptor")
    for descendant in font.get("/DescendantFonts", []):
        descriptor = _resolve(descendant).get("/FontDescriptor")
    descriptor = _resolve(descriptor)
    embedded = isinstance(descriptor, DictionaryObject) and any(
        key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")
    )
    return FontUse(str(font.get("/BaseFont")), embedded)


def _resolve(value: Any) -> Any:
    return value.get_object() if hasattr(value, "get_object") else value


def body_texts(pdf: bytes, bottom: float, top: float) -> list[str]:
    """Per page, only the text drawn between heights `bottom` and `top` (the body frame):
    without the letterhead, band and footer, a paragraph split over a page break reads on
    unbroken when the pages are joined."""
    return [
        "".join(text for _x, text in _body_fragments(page, bottom, top))
        for page in reader(pdf).pages
    ]


def body_columns(pdf: bytes, bottom: float, top: float) -> list[dict[float, str]]:
    """Per page, the body text grouped by the x at which each line starts, in drawing order.

    A table row that runs over a page break continues every cell on the next page. In drawing
    order the other cells' continuations come between a cell's two parts; read down its column
    (the same x on every page) the cell reads on unbroken."""
    pages = []
    for page in reader(pdf).pages:
        columns: dict[float, str] = {}
        for x, text in _body_fragments(page, bottom, top):
            columns[x] = columns.get(x, "") + text
        pages.append(columns)
    return pages


def _body_fragments(page: Any, bottom: float, top: float) -> list[tuple[float, str]]:
    """(x, text) of each piece of text drawn between heights `bottom` and `top`. pypdf gives a
    piece set in another font within a line (a fallback glyph) its line's starting x."""
    fragments: list[tuple[float, str]] = []

    def keep(text: str, cm: Any, tm: Any, _font: Any, _size: Any) -> None:
        x = float(cm[4]) + float(tm[4]) * float(cm[0])
        y = float(cm[5]) + float(tm[5]) * float(cm[3])
        if bottom <= y <= top:
            fragments.append((round(x, 1), text))

    page.extract_text(visitor_text=keep)
    return fragments
