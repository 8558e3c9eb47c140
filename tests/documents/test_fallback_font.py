"""Names in any script print as letters, not boxes or blanks: characters DejaVu Sans lacks
are set in a bundled font that has a glyph for them (embedded only when used).

pdftotext can find a character that printed as nothing (the PDF carries its code, not its
ink), so reading the text back proves little here: these tests check the glyph itself, in
the font each character is actually set in."""

import re
import unicodedata
from dataclasses import replace
from pathlib import Path
from xml.sax.saxutils import unescape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from reportlab.pdfbase import pdfmetrics

from desktop.documents import fallback_font
from desktop.documents.consent_packet import build_consent_packet
from desktop.documents.data import DocumentAssets
from desktop.documents.markup import escape_markup
from desktop.documents.styles import BASE_FONT, register_fonts
from desktop.documents.visit_summary import Audience, build_visit_summary
from desktop.services.catalog.consent_templates import load_document_assets
from tests.documents import pdf_reading, samples

# Synthetic names, one per script the fallbacks are there for.
NAMES = {
    "Chinese": ("王秀英", "DroidSansFallback"),
    "Japanese": ("さくら 山田", "DroidSansFallback"),
    "Korean": ("김민지", "NanumGothicCoding"),
    "Hindi": ("प्रिया शर्मा", "NotoSansDevanagari"),
    "Thai": ("สมชาย ใจดี", "NotoSansThai"),
    "emoji": ("Zoë 😀 🌸", "NotoEmoji"),
}
_RUN = re.compile(r'<font name="([^"]+)">(.*?)</font>|([^<]+|<br/>)', re.DOTALL)

# Scripts people's names are written in, as far as the bundled fonts claim to cover them.
NAME_SCRIPTS = (
    (0x0041, 0x024F),  # Latin with its accented letters
    (0x0386, 0x03CE),  # Greek
    (0x0400, 0x04FF),  # Cyrillic
    (0x05D0, 0x05EA),  # Hebrew letters
    (0x0621, 0x063A),  # Arabic letters (not the rarer U+063B-063F: no bundled font has them)
    (0x0641, 0x064A),
    (0x0900, 0x097F),  # Devanagari
    (0x0E01, 0x0E5B),  # Thai
    (0x3041, 0x3094),  # Hiragana
    (0x30A1, 0x30F6),  # Katakana
    (0x4E00, 0x9FA5),  # CJK ideographs
    (0xAC00, 0xD7A3),  # every Hangul syllable
    (0x3131, 0x3163),  # Hangul letters (U+3164 is the Hangul filler: blank on purpose)
    (0x1F600, 0x1F64F),  # emoji faces
    (0x1F1E6, 0x1F1FF),  # flag letters
)
COMMON_EMOJI = "❤💖💙🌸🌺🌻🌞⭐✨🎉🎂🐱🐶🦋🍀👍👋🙏💪👩👨👧👦🧑⚕👩‍⚕️"
name_character = st.one_of(
    *(
        st.characters(min_codepoint=first, max_codepoint=last).filter(
            lambda c: unicodedata.category(c) not in {"Cn", "Co"}
        )
        for first, last in NAME_SCRIPTS
    ),
    st.sampled_from(COMMON_EMOJI),
)
names = st.text(name_character, min_size=1, max_size=200)


@pytest.fixture(autouse=True)
def _fonts(assets: DocumentAssets) -> None:
    register_fonts(assets.fonts)


def runs(markup: str) -> list[tuple[str, str]]:
    """(font name, text) pieces of escape_markup's output, in order."""
    found = []
    for match in _RUN.finditer(markup):
        font, inside, outside = match.groups()
        if outside == "<br/>":
            continue
        found.append((font or BASE_FONT, unescape(inside if font else outside)))
    return found


def blank_in(font_name: str, text: str) -> list[str]:
    """Characters of `text` that would print as nothing or as a box in `font_name`: not in
    its character map, or mapped to a glyph without an outline."""
    face = pdfmetrics.getFont(font_name).face
    missing = []
    for char in text:
        if char.isspace() or not char.isprintable() or 0xFE00 <= ord(char) <= 0xFE0F:
            continue  # variation selectors choose a glyph style and have no ink of their own
        glyph = face.charToGlyph.get(ord(char))
        if glyph is None or face.glyphPos[glyph + 1] <= face.glyphPos[glyph]:
            missing.append(f"U+{ord(char):04X}")
    return missing


def test_only_the_missing_characters_change_font() -> None:
    assert (
        escape_markup("Mei 林 <Lin>")
        == 'Mei <font name="DroidSansFallbackFull">林</font> &lt;Lin&gt;'
    )
    assert escape_markup("Zoë O'Brien") == "Zoë O'Brien"  # DejaVu has these: untouched
    assert escape_markup("שרה כהן") == "שרה כהן"  # Hebrew letters are in DejaVu Sans


@pytest.mark.parametrize(("name", "font"), NAMES.values(), ids=NAMES.keys())
def test_each_script_goes_to_the_font_made_for_it(name: str, font: str) -> None:
    fonts_used = {used for used, _ in runs(escape_markup(name))}
    assert any(used.startswith(font) for used in fonts_used), fonts_used
    for used, text in runs(escape_markup(name)):
        assert blank_in(used, text) == [], (used, text)


def test_korean_syllables_are_not_split_between_two_fonts() -> None:
    """Droid Sans Fallback has three Hangul syllables (가, 힢, 힣): they must not print in
    another face than the rest of the name."""
    assert {font for font, text in runs(escape_markup("가나다 김가은 힣")) if text.strip()} == {
        "NanumGothicCoding"
    }


@settings(max_examples=500, deadline=None)
@given(name=names)
def test_every_character_of_a_name_has_ink_in_the_font_it_is_set_in(name: str) -> None:
    for font, text in runs(escape_markup(name)):
        assert blank_in(font, text) == [], (font, text)


@pytest.mark.parametrize(("name", "font"), NAMES.values(), ids=NAMES.keys())
def test_a_name_in_any_script_prints_on_every_page_with_its_font_embedded(
    assets: DocumentAssets, name: str, font: str
) -> None:
    data = samples.adult_packet()
    data = replace(data, patient=replace(data.patient, name=name))
    pdf = build_consent_packet(data, assets)
    embedded = {used.name for used in pdf_reading.fonts(pdf) if used.is_embedded}
    assert any(font in used for used in embedded), embedded
    if not any(ord(char) > 0xFFFF for char in name):  # astral ToUnicode: see properties
        for text in pdf_reading.page_texts(pdf):
            assert pdf_reading.squash(name) in pdf_reading.squash(text)


def test_a_latin_document_carries_none_of_the_fallback_fonts(assets: DocumentAssets) -> None:
    for name, _ in NAMES.values():
        escape_markup(name)  # every fallback registered earlier in this process
    pdf = build_visit_summary(samples.visit_data(), assets, audience=Audience.PATIENT)
    used = {font.name for font in pdf_reading.fonts(pdf)}
    assert not any(
        fallback in font for font in used for fallback in fallback_font.registered_names()
    )
    assert all("DejaVuSans" in font for font in used)


def test_the_bundled_fallbacks_are_truetype_with_a_licence_beside_them() -> None:
    fonts = load_document_assets().fonts
    for fallback in fonts.fallbacks:
        with Path(fallback.path).open("rb") as stream:
            assert stream.read(4) in {b"\x00\x01\x00\x00", b"true"}  # glyf outlines, not CFF
