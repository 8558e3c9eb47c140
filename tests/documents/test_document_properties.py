"""Property: any text a user can type goes through every builder without an error and shows up
in the PDF, the patient's name on every page.

Generated text mixes all of Unicode with markup characters, emoji, right-to-left scripts and
200-character names. Sixteen strings per example go into different fields of one document
(clinic letterhead included): 60 examples × 16 strings × 3 builders ≈ 2,900 strings in about
35 s on a quiet machine. ISOTRACK_PROPERTY_EXAMPLES=250 runs a longer trial (12,000
strings passed that way). A second set of tests puts notes and other free text of up to
10,000 characters or 100 lines through every builder (a quarter as many examples): a row
or paragraph taller than a page must split over the page break, never stop the build.

What "shows up" means, and why:
- Whitespace is ignored: wrapping and text extraction move it (TECH-NOTES §2.2).
- Characters the bundled DejaVu Sans has no glyph for (emoji, CJK, Hangul, Devanagari, Thai)
  are set in fallback fonts, or print as boxes where no bundled font has them; they are left
  out of the comparison (test_fallback_font.py checks that the fallbacks give them ink, which
  reading text back cannot show); control characters are dropped
  on purpose by `escape_markup`; a soft hyphen prints as "-" only where a line breaks, so
  hyphens are ignored.
- Characters beyond U+FFFF that DejaVu does have (some emoji, math letters) print, but
  ReportLab writes their ToUnicode entries as 5 hex digits instead of a UTF-16 pair, so no
  reader can map them back (pypdf warns "Odd-length string"); they are left out too.
- Right-to-left text is drawn in typing order (ReportLab without rlbidi) and pypdf's
  extraction reverses right-to-left runs and moves neutral characters next to them, so when
  the document holds right-to-left letters, every such letter must appear and every run of
  other letters and digits must appear intact.
- A paragraph may run over a page break, with the next page's letterhead and band drawn in
  between, so text is looked for in the page bodies joined up. A table row may run over a
  page break with two of its cells running on; the next page draws one cell's rest before
  the other's, so the bodies are also read down each column.
- A zero-width space is a line-break hint, like the soft hyphen: ReportLab breaks there and
  drops it.
"""

import os
import re
import unicodedata
from collections import Counter
from dataclasses import replace
from datetime import date

from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pypdf._utils import is_char_neutral, is_char_rtl  # the classification extraction uses
from reportlab.pdfbase.ttfonts import TTFontFile

from desktop.documents.consent_packet import build_consent_packet
from desktop.documents.data import (
    ClinicLetterhead,
    Guardian,
    LabDue,
    LabResult,
    SideEffect,
    VisitSignature,
    VisitSummaryData,
)
from desktop.documents.styles import build_styles
from desktop.documents.templates import parse_consent_template
from desktop.documents.visit_summary import Audience, build_visit_summary
from desktop.services.catalog.consent_templates import load_document_assets
from tests.documents import pdf_reading, samples

EXAMPLES = int(os.environ.get("ISOTRACK_PROPERTY_EXAMPLES", "60"))
LONG_EXAMPLES = max(EXAMPLES // 4, 5)
STRINGS_PER_EXAMPLE = 16
MAX_NOTE_CHARACTERS = 10_000
MAX_NOTE_LINES = 100
ASSETS = load_document_assets()
_fonts = ASSETS.fonts
COVERED = frozenset(
    chr(code)
    for code in TTFontFile(_fonts.regular).charToGlyph.keys()
    & TTFontFile(_fonts.bold).charToGlyph.keys()
)
"""Characters both faces can draw (the band prints the name in bold)."""
RIGHT_TO_LEFT = frozenset({"R", "AL", "AN"})
_page = build_styles(ASSETS.styles).page
BODY = (_page.margin_bottom, _page.height - _page.margin_top)
"""Heights between which the page body is drawn."""
FRAGMENTS = (
    "<",
    ">",
    "&",
    "&amp;",
    "<b>",
    "</b>",
    "<br/>",
    "<font size=40>",
    "'",
    '"',
    ";",
    "\\",
    "😀",
    "👩‍⚕️",
    "🇺🇸",
    "שלום",
    "עליכם",
    "مرحبا",
    "١٢٣",
    "\u200f",
    "\u202e",
    "Zoë",
    "José",
    "Łukasz",
    "Nguyễn",
    "O'Brien",
    "Åsa",
    "ß",
    "名前",
    " ",
    "\n",
    "\t",
    "\u00ad",
    "-",
    "A" * 60,
    "x" * 150,
)
TINY_TEMPLATE = parse_consent_template(
    {
        "id": "informed-consent",
        "version": "2026.1",
        "title": "Property test form",
        "effective_on": date(2026, 1, 1),
        "applies_to": "all",
        "intro": "Intro.",
        "signers": ["patient", "guardian", "prescriber", "witness"],
        "statements": ["One."],
    }
)


def _comparable(text: str) -> str:
    return "".join(
        char
        for char in text
        if char in COVERED
        and not char.isspace()
        and char not in "\u00ad\u200b-"
        and ord(char) <= 0xFFFF
        and unicodedata.category(char) not in {"Cc", "Cs"}
    )


def _is_rtl(char: str) -> bool:
    """Right-to-left for Unicode or for pypdf's extraction."""
    return is_char_rtl(char) or unicodedata.bidirectional(char) in RIGHT_TO_LEFT


def _left_to_right_runs(typed: str) -> list[str]:
    """Runs of characters pypdf leaves in place: printable, neither right-to-left nor, by its
    own classification, neutral (neutrals next to right-to-left text get moved with it).
    Anything else, line breaks included, ends a run."""
    kept = (
        char if _comparable(char) and not (_is_rtl(char) or is_char_neutral(char)) else "\x00"
        for char in typed
    )
    return re.findall(r"[^\x00]+", "".join(kept))


def _assert_shown(typed: str, shown: str, *, near_rtl: bool) -> None:
    """`shown` is extracted text already passed through `_comparable`. Near right-to-left
    text pypdf also moves neutral characters (spaces, punctuation, bullets) about, so there
    only the letters and digits are compared: every right-to-left one, and every run of the
    others intact."""
    expected = _comparable(typed)
    if not near_rtl:
        assert expected in shown, (typed, shown)
        return
    assert Counter(c for c in expected if _is_rtl(c)) <= Counter(shown), (typed, shown)
    for run in _left_to_right_runs(typed):
        assert run in shown, (run, typed, shown)


def _with_anchor(text: str, anchor: str, at: int) -> str:
    """`text` with one printable character inserted, so there is always something to find."""
    at %= len(text) + 1
    return (text[:at] + anchor + text[at:])[:200]


any_character = st.one_of(
    st.characters(exclude_categories=["Cs"]), st.sampled_from(sorted(COVERED))
)
typed_text = st.builds(
    _with_anchor,
    st.one_of(
        st.text(any_character, max_size=200),
        st.text(any_character, min_size=180, max_size=200),
        st.lists(st.sampled_from(FRAGMENTS), max_size=12).map("".join),
    ),
    st.sampled_from(sorted(c for c in COVERED if c.isalnum())),
    st.integers(min_value=0, max_value=200),
)
texts_for_one_build = st.lists(
    typed_text, min_size=STRINGS_PER_EXAMPLE, max_size=STRINGS_PER_EXAMPLE
)
property_settings = settings(
    max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)


def _repeated(text: str, length: int) -> str:
    """`text` over and over, cut at `length` characters: one long paragraph."""
    return (text * (length // max(len(text), 1) + 1))[:length]


long_text = st.one_of(
    # A note typed as up to 100 lines (up to 10,000 characters in all).
    st.lists(typed_text, min_size=60, max_size=MAX_NOTE_LINES).map(
        lambda lines: "\n".join(lines)[:MAX_NOTE_CHARACTERS]
    ),
    # One paragraph of 5,000 to 10,000 characters.
    st.builds(
        _repeated,
        typed_text,
        st.integers(min_value=MAX_NOTE_CHARACTERS // 2, max_value=MAX_NOTE_CHARACTERS),
    ),
)
"""Notes longer than a page: every free-text cell must run on over the page break."""
long_texts_for_one_build = st.lists(long_text, min_size=2, max_size=2)
long_text_settings = settings(
    max_examples=LONG_EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    # No shrinking: cutting a failing 10,000-character example down takes Hypothesis more
    # than five minutes; the full example is reported (and replayed from .hypothesis/).
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


def _check(
    pdf: bytes,
    texts: list[str],
    *,
    header_cells: tuple[str, ...] = (),
    may_be_cut: tuple[str, ...] = (),
) -> None:
    """texts[0] is the patient's name: on every page. The others: somewhere in the document,
    looked for in three readings: the page bodies joined in drawing order (a paragraph may
    run over a page break); the page bodies joined down each column (a table row may run over
    a page break with more than one of its cells running on, and in drawing order one cell's
    continuation comes between another's two parts); the whole pages (letterhead and band).
    A table split over a page break repeats its header row on the next page: `header_cells`
    are taken out of the later pages' bodies, so a cell's text reads on as it does for the
    eye. Texts in `may_be_cut` (the preferred name beside a long legal name in the band, the
    clinic's name and address in the letterhead) end in "…" where even the smallest type
    cannot fit them in their box."""
    pages = [_comparable(page) for page in pdf_reading.page_texts(pdf)]
    bodies = [_comparable(body) for body in pdf_reading.body_texts(pdf, *BODY)]
    header = _comparable("".join(header_cells))
    bodies = [bodies[0], *(body.replace(header, "") for body in bodies[1:])]
    columns: dict[float, str] = {}
    for number, page_columns in enumerate(pdf_reading.body_columns(pdf, *BODY)):
        for x, column in page_columns.items():
            column = _comparable(column)
            for cell in header_cells if number else ():
                column = column.removeprefix(_comparable(cell))
            columns[x] = columns.get(x, "") + column
    near_rtl = any(_is_rtl(char) for text in texts for char in text)
    for page in pages:
        _assert_shown(texts[0], page, near_rtl=near_rtl)
    everything = "\x00".join(["".join(bodies), *columns.values(), *pages])
    for text in texts[1:]:
        if text in may_be_cut and all("…" in page for page in pages):
            continue
        _assert_shown(text, everything, near_rtl=near_rtl)


def _lean_visit(texts: list[str]) -> VisitSummaryData:
    """Only the sections the generated text goes into, to keep each build short."""
    base = samples.visit_data()
    return replace(
        base,
        clinic=ClinicLetterhead(texts[1], (texts[2],), texts[3]),
        patient=replace(base.patient, name=texts[0], preferred_name=texts[4]),
        progress=replace(base.progress, by_month=()),
        labs_due=(),
        lab_results=(),
        side_effects=(),
        signatures=(),
        counseling_topics=(),
        reminders=(),
    )


@property_settings
@given(texts=texts_for_one_build)
def test_consent_packet_shows_any_typed_text(texts: list[str]) -> None:
    data = replace(
        samples.adult_packet(),
        clinic=ClinicLetterhead(texts[1], (texts[2],), texts[3]),
        patient=replace(samples.ADULT, name=texts[0], preferred_name=texts[4]),
        guardian=Guardian(texts[5], texts[6]),
        prescriber_name=texts[7],
        product_name=texts[8],
        category_wording=texts[9],
        checklist=tuple(texts[10:]),
        is_minor=True,
        templates=(TINY_TEMPLATE,),
    )
    _check(build_consent_packet(data, ASSETS), texts, may_be_cut=tuple(texts[1:3]))


@property_settings
@given(texts=texts_for_one_build)
def test_chart_summary_shows_any_typed_text(texts: list[str]) -> None:
    data = replace(
        _lean_visit(texts),
        notes=texts[5],
        side_effects=(SideEffect(texts[6], texts[7], texts[8], is_flagged=True),),
        lab_results=(LabResult(texts[9], texts[10], "U/L", date(2026, 11, 1), flag=texts[11]),),
        counseling_topics=(texts[12],),
        signatures=(VisitSignature(texts[13], texts[14]),),
        reminders=(texts[15],),
    )
    _check(
        build_visit_summary(data, ASSETS, audience=Audience.CHART),
        texts,
        may_be_cut=(*texts[1:3], texts[4]),
    )


@property_settings
@given(texts=texts_for_one_build)
def test_patient_summary_shows_any_typed_text(texts: list[str]) -> None:
    data = replace(
        _lean_visit(texts),
        product_name=texts[5],
        labs_due=(LabDue(texts[6], date(2026, 12, 1), texts[7]),),
        reminders=tuple(texts[8:]),
    )
    _check(
        build_visit_summary(data, ASSETS, audience=Audience.PATIENT),
        texts,
        may_be_cut=(*texts[1:3], texts[4]),
    )


@long_text_settings
@given(texts=texts_for_one_build, long=long_texts_for_one_build)
def test_consent_packet_runs_long_text_over_pages(texts: list[str], long: list[str]) -> None:
    data = replace(
        samples.adult_packet(),
        patient=replace(samples.ADULT, name=texts[0], preferred_name=texts[1]),
        guardian=Guardian(texts[2], texts[3]),
        checklist=(long[0], texts[4], long[1]),
        is_minor=True,
        templates=(TINY_TEMPLATE,),
    )
    _check(build_consent_packet(data, ASSETS), [*texts[:5], *long])


@long_text_settings
@given(texts=texts_for_one_build, long=long_texts_for_one_build)
def test_chart_summary_runs_long_text_over_pages(texts: list[str], long: list[str]) -> None:
    data = replace(
        _lean_visit(texts),
        notes=long[0],
        side_effects=(SideEffect(texts[5], texts[6], long[1], is_flagged=True),),
        signatures=(VisitSignature(texts[7], texts[8]),),
    )
    _check(
        build_visit_summary(data, ASSETS, audience=Audience.CHART),
        [*texts[:9], *long],
        header_cells=("Side effect", "Severity", "Note"),
        may_be_cut=(*texts[1:3], texts[4]),
    )


@long_text_settings
@given(texts=texts_for_one_build, long=long_texts_for_one_build)
def test_patient_summary_runs_long_text_over_pages(texts: list[str], long: list[str]) -> None:
    data = replace(
        _lean_visit(texts),
        labs_due=(LabDue(texts[5], date(2026, 12, 1), long[0]),),
        reminders=(long[1],),
    )
    _check(
        build_visit_summary(data, ASSETS, audience=Audience.PATIENT),
        [*texts[:6], *long],
        may_be_cut=(*texts[1:3], texts[4]),
    )


def test_a_table_row_running_over_pages_keeps_each_cell_whole() -> None:
    """An example Hypothesis found: a severity and a note both taller than what is left of
    the page. The row splits, and the next page draws the rest of the severity before the rest
    of the note, so only reading down the note's column finds the note whole."""
    texts = ["Ann Example", "Ann", "Grace Example", "mother", "Bring the form.", "Dry lips"]
    severity, note = "mild " * 150, "Ԝ" * 8_000
    data = replace(
        _lean_visit([*texts, *["z"] * 10]),
        notes="Short note.",
        side_effects=(SideEffect(texts[5], severity, note, is_flagged=True),),
    )
    pdf = build_visit_summary(data, ASSETS, audience=Audience.CHART)
    _check(pdf, [*texts, severity, note], header_cells=("Side effect", "Severity", "Note"))
