"""Fonts for the characters DejaVu Sans does not have.

DejaVu Sans covers Latin, Greek, Cyrillic, Hebrew and Arabic letters but no Chinese, Japanese,
Korean, Devanagari, Thai or emoji: a name written in them printed as empty boxes or nothing
at all. Each character the base font lacks is set in the first fallback font that has a
glyph for it, trying first the fallbacks meant for its script (Korean syllables in Nanum
Gothic Coding rather than in the three Droid Sans Fallback happens to have). A character no
bundled font has stays in the base font.

Fallbacks are read and registered the first time a document needs one of their characters
(Droid Sans Fallback is 4 MB and takes ~0.1 s to load), and a PDF embeds only the fonts its
text uses.
"""

import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from desktop.documents.data import FallbackFont


@dataclass
class _Loaded:
    spec: FallbackFont
    name: str
    """The ReportLab font name: the file's stem, e.g. "NanumGothicCoding"."""
    covers: frozenset[int] | None = None
    """Code points with a glyph; None until the font is read."""


@dataclass
class _Fallbacks:
    base_covers: frozenset[int]
    fonts: tuple[_Loaded, ...]
    chosen: dict[str, str | None] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


_fallbacks: _Fallbacks | None = None


def configure(base_font: str, fallbacks: Sequence[FallbackFont]) -> None:
    """Called once the base font is registered; no fallbacks leaves every character to it."""
    global _fallbacks
    face = pdfmetrics.getFont(base_font).face
    _fallbacks = _Fallbacks(
        frozenset(face.charToGlyph),
        tuple(_Loaded(spec, Path(spec.path).stem) for spec in fallbacks),
    )


def lacks(char: str) -> bool:
    """Whether `char` is printable but missing from the base font (and a fallback is set):
    cheap, no font is read."""
    fallbacks = _fallbacks
    return (
        fallbacks is not None
        and bool(fallbacks.fonts)
        and char.isprintable()
        and ord(char) not in fallbacks.base_covers
    )


def font_for(char: str) -> str | None:
    """The registered ReportLab name of the font to set `char` in, or None for the base font
    (it has the character, or no bundled font does)."""
    fallbacks = _fallbacks
    if fallbacks is None or not lacks(char):
        return None
    with fallbacks.lock:
        if char not in fallbacks.chosen:
            fallbacks.chosen[char] = _choose(fallbacks.fonts, ord(char))
        return fallbacks.chosen[char]


def registered_names() -> tuple[str, ...]:
    """The ReportLab names the fallbacks get (registered or not yet)."""
    fallbacks = _fallbacks
    return tuple(font.name for font in fallbacks.fonts) if fallbacks else ()


def _choose(fonts: tuple[_Loaded, ...], code_point: int) -> str | None:
    """The first font meant for this character's script that has it, else the first font
    that has it at all."""
    meant = [font for font in fonts if _meant_for(font.spec, code_point)]
    for font in [*meant, *(font for font in fonts if font not in meant)]:
        if code_point in _covers(font):
            return font.name
    return None


def _meant_for(spec: FallbackFont, code_point: int) -> bool:
    return any(first <= code_point <= last for first, last in spec.preferred_for)


def _covers(font: _Loaded) -> frozenset[int]:
    """Read and register the font on first use (with itself as bold and italic, which the
    fallbacks do not have)."""
    if font.covers is None:
        if font.name not in pdfmetrics.getRegisteredFontNames():
            pdfmetrics.registerFont(TTFont(font.name, font.spec.path))
            pdfmetrics.registerFontFamily(
                font.name, normal=font.name, bold=font.name, italic=font.name,
                boldItalic=font.name,
            )  # fmt: skip
        font.covers = frozenset(pdfmetrics.getFont(font.name).face.charToGlyph)
    return font.covers
