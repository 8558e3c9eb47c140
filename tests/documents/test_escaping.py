"""User text prints exactly as typed: never swallowed, never markup (TECH-NOTES §2.2)."""

from dataclasses import replace

import pytest

from desktop.documents.consent_packet import build_consent_packet
from desktop.documents.data import DocumentAssets, Guardian, SideEffect
from desktop.documents.markup import escape_markup
from desktop.documents.visit_summary import Audience, build_visit_summary
from tests.documents import pdf_reading, samples

TRICKY = ["Zoë O'Brien <José> & Co", "Ann <b>Bold</b>", "a<b", "AT&T", "&copy; me", 'say "hi"']


@pytest.mark.parametrize(
    ("text", "markup"),
    [
        ("Zoë O'Brien <José> & Co", "Zoë O'Brien &lt;José&gt; &amp; Co"),
        ("Ann <b>Bold</b>", "Ann &lt;b&gt;Bold&lt;/b&gt;"),
        ("a<b", "a&lt;b"),
        ("&copy;", "&amp;copy;"),
        ("one\ntwo\r\nthree\rfour", "one<br/>two<br/>three<br/>four"),
        ("line\u2028separator", "line<br/>separator"),
        ("tab\there", "tab here"),
        ("bell\x07 and nul\x00", "bell and nul"),
    ],
)
def test_escape_markup(text: str, markup: str) -> None:
    assert escape_markup(text) == markup


@pytest.mark.parametrize("name", TRICKY)
def test_tricky_names_print_exactly_in_the_consent_packet(
    assets: DocumentAssets, name: str
) -> None:
    data = samples.adult_packet()
    data = replace(
        data,
        patient=replace(data.patient, name=name, preferred_name=name),
        prescriber_name=name,
        is_minor=True,
        guardian=Guardian(name, name),
        checklist=(name,),
    )
    texts = pdf_reading.page_texts(build_consent_packet(data, assets))
    for text in texts:
        assert pdf_reading.squash(name) in pdf_reading.squash(text)
    everything = pdf_reading.squash("\n".join(texts))
    # Cover: name, preferred name, prescriber, guardian ×2, checklist; form: signature lines.
    assert everything.count(pdf_reading.squash(name)) >= 6 + 2 * len(texts)


@pytest.mark.parametrize("name", TRICKY)
@pytest.mark.parametrize("audience", list(Audience))
def test_tricky_text_prints_exactly_in_the_visit_summary(
    assets: DocumentAssets, name: str, audience: Audience
) -> None:
    data = samples.visit_data()
    data = replace(
        data,
        patient=replace(data.patient, name=name),
        notes=f"{name}\nsecond line {name}",
        side_effects=(SideEffect(name, "mild", name),),
        reminders=(name,),
    )
    texts = pdf_reading.page_texts(build_visit_summary(data, assets, audience=audience))
    for text in texts:
        assert pdf_reading.squash(name) in pdf_reading.squash(text)


def test_injected_bold_stays_literal_text(assets: DocumentAssets) -> None:
    data = replace(samples.adult_packet(), patient=replace(samples.ADULT, name="Ann <b>Bold</b>"))
    text = "\n".join(pdf_reading.page_texts(build_consent_packet(data, assets)))
    assert "Ann <b>Bold</b>" in text
