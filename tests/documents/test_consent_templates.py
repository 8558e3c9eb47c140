"""Consent templates: strict parsing, version order, and the shipped templates via the catalog."""

import tomllib
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from desktop.documents.data import TemplateAudience
from desktop.documents.styles import StyleError, build_styles
from desktop.documents.templates import TemplateError, parse_consent_template, version_key
from desktop.rules.consents import ConsentForm, SignerRole
from desktop.services import catalog
from desktop.services.catalog import consent_templates
from desktop.services.catalog.consent_templates import (
    consent_template_versions,
    load_consent_template,
    load_document_assets,
)


def _valid() -> dict[str, Any]:
    return {
        "id": "informed-consent",
        "version": "2026.1",
        "title": "A title",
        "effective_on": date(2026, 1, 1),
        "applies_to": "all",
        "intro": "Read this.",
        "signers": ["patient", "guardian", "prescriber"],
        "statements": ["One.", "Two."],
    }


def test_a_valid_template_parses() -> None:
    template = parse_consent_template(_valid())
    assert template.form is ConsentForm.INFORMED_CONSENT
    assert template.label == "informed-consent v2026.1"
    assert template.applies_to is TemplateAudience.ALL
    assert template.statements == ("One.", "Two.")
    assert template.signers == (SignerRole.PATIENT, SignerRole.GUARDIAN, SignerRole.PRESCRIBER)
    assert template.sections == ()


def test_sections_parse_with_text_items_or_both() -> None:
    data = _valid() | {
        "sections": [{"heading": "Methods", "items": ["IUD"]}, {"heading": "Note", "text": "Hi"}]
    }
    template = parse_consent_template(data)
    assert [s.heading for s in template.sections] == ["Methods", "Note"]
    assert template.sections[0].items == ("IUD",)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"colour": "blue"}, "unknown keys colour"),
        ({"id": "photo-consent"}, "id: 'photo-consent' is not one of"),
        ({"version": "v1"}, "is not YEAR.REVISION"),
        ({"title": "  "}, "title: expected non-empty text"),
        ({"effective_on": "2026-01-01"}, "effective_on: expected a date"),
        ({"applies_to": "women"}, "applies_to: 'women' is not one of"),
        ({"statements": []}, "statements: expected a non-empty list"),
        ({"statements": ["ok", 3]}, "statements: every entry must be non-empty text"),
        ({"signers": ["patient", "nurse", "prescriber"]}, "signers: 'nurse' is not one of"),
        ({"signers": ["patient"]}, "signers: must include prescriber"),
        ({"signers": ["patient", "patient", "prescriber"]}, "listed twice"),
        ({"sections": [{"heading": "Empty"}]}, r"sections\[0\]: give text, items or both"),
        ({"sections": [{"heading": "X", "text": "t", "list": []}]}, "unknown keys list"),
        ({"sections": ["text"]}, r"sections\[0\]: expected a table"),
    ],
)
def test_malformed_templates_are_refused_naming_the_problem(
    change: dict[str, Any], message: str
) -> None:
    with pytest.raises(TemplateError, match=message):
        parse_consent_template(_valid() | change)


def test_a_missing_key_is_refused() -> None:
    data = _valid()
    del data["intro"]
    with pytest.raises(TemplateError, match="missing keys intro"):
        parse_consent_template(data)


def test_versions_sort_as_numbers() -> None:
    assert sorted(["2026.10", "2026.9", "2025.3"], key=version_key) == [
        "2025.3",
        "2026.9",
        "2026.10",
    ]


@pytest.mark.parametrize("form", list(ConsentForm))
def test_every_shipped_template_loads_through_the_catalog(form: ConsentForm) -> None:
    versions = consent_template_versions(form)
    assert versions
    template = load_consent_template(form)
    assert (template.form, template.version) == (form, versions[-1])
    assert load_consent_template(form, versions[0]).version == versions[0]
    expected = (
        TemplateAudience.ALL
        if form is ConsentForm.INFORMED_CONSENT
        else (TemplateAudience.CAN_GET_PREGNANT)
    )
    assert template.applies_to is expected
    assert {SignerRole.PATIENT, SignerRole.GUARDIAN, SignerRole.PRESCRIBER} <= set(template.signers)


@pytest.mark.parametrize(
    ("form", "facts"),
    [
        (
            ConsentForm.INFORMED_CONSENT,
            [
                "severe acne",
                "birth defects",
                "depression",
                "psychosis",
                "suicide",
                "stop taking isotretinoin and call",
                "not share",
                "return any capsules",
                "not donate blood",
                "1 month after my last dose",
                "waxing",
                "6 months",
                "SPF 30",
                "vitamin A",
                "tetracycline",
                "in the dark",
                "alcohol",
                "36 hours",
                "Medication Guide",
                "every fill",
                "every month",
                "blood tests",
            ],
        ),
        (
            ConsentForm.PREGNANCY_PREVENTION,
            [
                "Any amount",
                "1 month before",
                "1 month after",
                "two separate effective forms",
                "at the same time",
                "tubes tied",
                "mini-pills",
                "St John's wort",
                "19 days",
                "every month",
                "when I finish treatment",
                "period is late",
                "emergency contraception",
                "breastfeed",
            ],
        ),
        (
            ConsentForm.CONTRACEPTION_COUNSELING,
            [
                "Tubal sterilization",
                "vasectomy",
                "IUD",
                "estrogen",
                "long-acting progestin",
                "implant",
                "vaginal ring",
                "Male latex condom",
                "Diaphragm with spermicide",
                "Cervical cap with spermicide",
                "Vaginal sponge",
                "mini-pills",
                "St John's wort",
                "emergency contraception",
            ],
        ),
    ],
)
def test_shipped_templates_cover_the_domain_facts(form: ConsentForm, facts: list[str]) -> None:
    template = load_consent_template(form)
    words = " ".join(
        [template.intro, *template.statements]
        + [" ".join([s.heading, s.text, *s.items]) for s in template.sections]
    )
    missing = [fact for fact in facts if fact.lower() not in words.lower()]
    assert not missing


def test_an_unknown_version_is_refused_listing_what_is_installed() -> None:
    with pytest.raises(TemplateError, match=r"installed: 2026\.1"):
        load_consent_template(ConsentForm.INFORMED_CONSENT, "1999.1")


def test_a_file_whose_contents_disagree_with_its_path_is_refused(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = catalog.read_text("consents", "informed-consent", "2026.1.toml")
    monkeypatch.setattr(
        consent_templates, "read_text", lambda *_parts: text.replace('"2026.1"', '"2026.7"')
    )
    with pytest.raises(TemplateError, match="do not match its path"):
        load_consent_template(ConsentForm.INFORMED_CONSENT, "2026.1")


def test_a_broken_file_is_reported_with_its_path(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(consent_templates, "read_text", lambda *_parts: "id = ")
    with pytest.raises(TemplateError, match=r"consents/informed-consent/2026.1.toml"):
        load_consent_template(ConsentForm.INFORMED_CONSENT)


def test_document_assets_point_at_the_bundled_fonts_and_a_usable_style_sheet() -> None:
    assets = load_document_assets()
    for path in (
        assets.fonts.regular,
        assets.fonts.bold,
        assets.fonts.italic,
        assets.fonts.bold_italic,
    ):
        assert Path(path).is_file()
    styles = build_styles(assets.styles)
    assert styles["body"].fontName == "DejaVuSans"
    assert styles["title"].fontName == "DejaVuSans-Bold"
    assert styles.page.width == 612


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("paragraph", "body", "font_size"), 9, "unknown keys font_size"),
        (("paragraph", "body", "color"), "teal", "'teal' is not in"),
        (("paragraph", "body", "face"), "light", "face: expected one of"),
        (("paragraph", "body", "size"), "9", "size: expected a number"),
        (("page", "size"), "legal", "page.size"),
        (("colors", "ink"), "not-a-colour", "colors"),
    ],
)
def test_style_sheet_mistakes_are_refused(
    path: tuple[str, ...], value: object, message: str
) -> None:
    data = tomllib.loads(catalog.read_text("styles", "pdf.toml"))
    node = data
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    with pytest.raises(StyleError, match=message):
        build_styles(data)


def test_a_style_sheet_missing_a_named_style_is_refused() -> None:
    data = tomllib.loads(catalog.read_text("styles", "pdf.toml"))
    del data["paragraph"]["footer"]
    with pytest.raises(StyleError, match="missing paragraph styles: footer"):
        build_styles(data)
