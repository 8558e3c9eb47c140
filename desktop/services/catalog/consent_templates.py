"""Consent templates and PDF assets from resources/: the builders get parsed data, never paths."""

import tomllib

from desktop.documents.data import ConsentTemplate, DocumentAssets, FallbackFont, FontFiles
from desktop.documents.templates import TemplateError, parse_consent_template, version_key
from desktop.rules.consents import ConsentForm
from desktop.services.catalog import PDF_FALLBACK_FONTS, font_file, read_text, resource

TEMPLATE_SUFFIX = ".toml"


def consent_template_versions(form: ConsentForm) -> tuple[str, ...]:
    """Versions shipped for `form`, oldest first (2026.2 before 2026.10)."""
    folder = resource("consents", form.value)
    if not folder.is_dir():
        return ()
    versions = [
        entry.name.removesuffix(TEMPLATE_SUFFIX)
        for entry in folder.iterdir()
        if entry.is_file() and entry.name.endswith(TEMPLATE_SUFFIX)
    ]
    return tuple(sorted(versions, key=version_key))


def load_consent_template(form: ConsentForm, version: str | None = None) -> ConsentTemplate:
    """The template of `form` at `version`, or the newest one.

    A consent is printed again in the exact version the patient signed (domain.md §5), so
    callers that reprint pass the stored version."""
    versions = consent_template_versions(form)
    if not versions:
        raise TemplateError(f"No consent template is installed for {form.value}.")
    chosen = versions[-1] if version is None else version
    if chosen not in versions:
        raise TemplateError(
            f"{form.value} has no version {chosen}; installed: {', '.join(versions)}."
        )
    where = f"consents/{form.value}/{chosen}{TEMPLATE_SUFFIX}"
    try:
        data = tomllib.loads(read_text("consents", form.value, chosen + TEMPLATE_SUFFIX))
        template = parse_consent_template(data)
    except (tomllib.TOMLDecodeError, TemplateError) as error:
        raise TemplateError(f"{where}: {error}") from error
    if (template.form, template.version) != (form, chosen):
        raise TemplateError(f"{where}: id and version inside the file do not match its path")
    return template


def load_document_assets() -> DocumentAssets:
    """The bundled DejaVu faces, the fonts for what they lack, and the parsed
    resources/styles/pdf.toml."""
    fonts = FontFiles(
        regular=font_file("regular"),
        bold=font_file("bold"),
        italic=font_file("italic"),
        bold_italic=font_file("bold_italic"),
        fallbacks=tuple(
            FallbackFont(str(resource("fonts", name)), ranges)
            for name, ranges in PDF_FALLBACK_FONTS
        ),
    )
    return DocumentAssets(fonts=fonts, styles=tomllib.loads(read_text("styles", "pdf.toml")))
