"""Where IsoTrack's data files live. The only package that knows the `resources/` folder.

Installed, `resources/` is the import package `isotrack_resources` (TECH-NOTES §6); an
editable install maps it to the live folder, so edits show up at once.
"""

from importlib.resources import files
from importlib.resources.abc import Traversable

FONT_FAMILY = "DejaVuSans"
FONT_FILES = {
    "regular": "DejaVuSans.ttf",
    "bold": "DejaVuSans-Bold.ttf",
    "italic": "DejaVuSans-Oblique.ttf",
    "bold_italic": "DejaVuSans-BoldOblique.ttf",
    "fallback": "DroidSansFallbackFull.ttf",
}


PDF_FALLBACK_FONTS: tuple[tuple[str, tuple[tuple[int, int], ...]], ...] = (
    ("DroidSansFallbackFull.ttf", ()),  # Chinese, Japanese and whatever else it has
    ("NanumGothicCoding.ttf", ((0x3130, 0x318F), (0xAC00, 0xD7A3))),  # Hangul
    ("NotoSansDevanagari-Regular.ttf", ((0x0900, 0x097F), (0xA8E0, 0xA8FF))),
    ("NotoSansThai-Regular.ttf", ((0x0E00, 0x0E7F),)),
    ("NotoEmoji-Variable.ttf", ((0x1F000, 0x1FAFF), (0xFE00, 0xFE0F))),
)  # fmt: skip
"""Fonts for PDF text DejaVu Sans lacks: each is tried first for the code points listed with
it, then in this order for any other character. resources/fonts/README.md says where each
came from and why it was chosen."""


def resource(*parts: str) -> Traversable:
    """A file or folder under resources/. Joined one part at a time: on Python 3.11 a
    multi-part joinpath on a namespace path raises TypeError (TECH-NOTES §6)."""
    node: Traversable = files("isotrack_resources")
    for part in parts:
        node = node / part
    return node


def read_text(*parts: str) -> str:
    return resource(*parts).read_text(encoding="utf-8")


def font_file(face: str) -> str:
    """Filesystem path of a bundled font: a DejaVu face ("regular", "bold", "italic",
    "bold_italic") or the "fallback" for the characters DejaVu lacks."""
    return str(resource("fonts", FONT_FILES[face]))
