"""A second font for the characters DejaVu Sans does not have.

DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew and Arabic letters but no Chinese or
Japanese: a name written in them printed as empty boxes. Runs of characters the base font
lacks are set in Droid Sans Fallback instead (it has the CJK ideographs and kana, but only a
few Korean syllables). That font is 4 MB and takes ~0.1 s
to load, so it is registered the first time a document needs it, not for every document.
"""

import threading
from dataclasses import dataclass, field

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

FALLBACK_FONT = "DroidSansFallback"


@dataclass
class _Fallback:
    path: str
    base_covers: frozenset[int]
    lock: threading.Lock = field(default_factory=threading.Lock)


_fallback: _Fallback | None = None


def configure(base_font: str, fallback_path: str | None) -> None:
    """Called once the base font is registered; `None` leaves every character to it."""
    global _fallback
    if fallback_path is None:
        _fallback = None
        return
    face = pdfmetrics.getFont(base_font).face
    _fallback = _Fallback(fallback_path, frozenset(face.charToGlyph))


def lacks(char: str) -> bool:
    """Whether `char` is printable but missing from the base font (and a fallback is set)."""
    fallback = _fallback
    return fallback is not None and char.isprintable() and ord(char) not in fallback.base_covers


def font_name() -> str:
    """The fallback's ReportLab name, registered (with itself as bold and italic, which it
    does not have) on first use."""
    fallback = _fallback
    if fallback is None:
        raise RuntimeError("No fallback font is configured.")
    with fallback.lock:
        if FALLBACK_FONT not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(FALLBACK_FONT, fallback.path))
            pdfmetrics.registerFontFamily(
                FALLBACK_FONT,
                normal=FALLBACK_FONT,
                bold=FALLBACK_FONT,
                italic=FALLBACK_FONT,
                boldItalic=FALLBACK_FONT,
            )
    return FALLBACK_FONT
