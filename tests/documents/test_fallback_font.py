"""Names in Chinese or Japanese print as letters, not boxes: DejaVu Sans lacks those
characters, so their runs are set in the bundled fallback font (embedded, only when used)."""

from dataclasses import replace

import pytest

from desktop.documents import fallback_font
from desktop.documents.consent_packet import build_consent_packet
from desktop.documents.data import DocumentAssets
from desktop.documents.markup import escape_markup
from desktop.documents.styles import register_fonts
from tests.documents import pdf_reading, samples

# Synthetic names in the scripts the fallback covers (Chinese, Japanese). Its Hangul is
# partial: most Korean syllables still print as boxes (a known gap).
NAMES = ["王秀英", "さくら 山田", "Mei 林 <Lin>"]


@pytest.fixture(autouse=True)
def _fonts(assets: DocumentAssets) -> None:
    register_fonts(assets.fonts)


def test_only_the_missing_characters_change_font() -> None:
    name = fallback_font.font_name()
    assert escape_markup("Mei 林 <Lin>") == f'Mei <font name="{name}">林</font> &lt;Lin&gt;'
    assert escape_markup("Zoë O'Brien") == "Zoë O'Brien"  # DejaVu has these: untouched
    assert escape_markup("שרה כהן") == "שרה כהן"  # Hebrew letters are in DejaVu Sans


@pytest.mark.parametrize("patient_name", NAMES)
def test_a_cjk_name_prints_on_every_page_of_the_packet(
    assets: DocumentAssets, patient_name: str
) -> None:
    data = samples.adult_packet()
    data = replace(data, patient=replace(data.patient, name=patient_name))
    pdf = build_consent_packet(data, assets)
    for text in pdf_reading.page_texts(pdf):
        assert pdf_reading.squash(patient_name) in pdf_reading.squash(text)
    embedded = {font.name for font in pdf_reading.fonts(pdf) if font.is_embedded}
    assert any(fallback_font.FALLBACK_FONT in name for name in embedded)


def test_a_latin_packet_does_not_carry_the_fallback_font(assets: DocumentAssets) -> None:
    fallback_font.font_name()  # registered earlier in this process by another document
    pdf = build_consent_packet(samples.adult_packet(), assets)
    assert not any(fallback_font.FALLBACK_FONT in font.name for font in pdf_reading.fonts(pdf))
