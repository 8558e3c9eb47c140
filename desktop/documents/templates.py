"""Consent templates: a parsed resources/consents/<form>/<version>.toml, checked strictly."""

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, TypeVar

from desktop.documents.data import ConsentTemplate, TemplateAudience, TemplateSection
from desktop.rules.consents import ConsentForm, SignerRole

VERSION_PATTERN = re.compile(r"\d{4}\.\d+")
"""Year, dot, revision in that year: 2026.1, 2026.2 … Compared as numbers, not as text."""
TEMPLATE_KEYS = frozenset(
    {"id", "version", "title", "effective_on", "applies_to", "intro", "sections", "statements",
     "signers"}
)  # fmt: skip
REQUIRED_KEYS = TEMPLATE_KEYS - {"sections"}
SECTION_KEYS = frozenset({"heading", "text", "items"})
REQUIRED_SIGNERS = frozenset({SignerRole.PATIENT, SignerRole.PRESCRIBER})

_Choice = TypeVar("_Choice", ConsentForm, SignerRole, TemplateAudience)


class TemplateError(ValueError):
    """A consent template file is malformed; the message names the offending key."""


def version_key(version: str) -> tuple[int, int]:
    """Sort key: 2026.10 comes after 2026.9."""
    if not VERSION_PATTERN.fullmatch(version):
        raise TemplateError(f"version: {version!r} is not YEAR.REVISION, e.g. 2026.1")
    year, revision = version.split(".")
    return int(year), int(revision)


def parse_consent_template(data: Mapping[str, Any]) -> ConsentTemplate:
    """The template in `data` (as tomllib reads it). Unknown or missing keys, wrong types,
    an unknown form id or signer role are errors: a typo must never print a short form."""
    _check_keys(data, TEMPLATE_KEYS, REQUIRED_KEYS, "template")
    version = _string(data, "version")
    version_key(version)
    return ConsentTemplate(
        form=_choice(ConsentForm, _string(data, "id"), "id"),
        version=version,
        title=_string(data, "title"),
        effective_on=_date(data, "effective_on"),
        applies_to=_choice(TemplateAudience, _string(data, "applies_to"), "applies_to"),
        intro=_string(data, "intro"),
        sections=tuple(
            _section(section, f"sections[{index}]")
            for index, section in enumerate(_list(data, "sections", "template", required=False))
        ),
        statements=_strings(data, "statements", "template"),
        signers=_signers(data),
    )


def _section(data: Any, where: str) -> TemplateSection:
    if not isinstance(data, Mapping):
        raise TemplateError(f"{where}: expected a table")
    _check_keys(data, SECTION_KEYS, frozenset({"heading"}), where)
    section = TemplateSection(
        heading=_string(data, "heading", where),
        text=_string(data, "text", where, required=False),
        items=_strings(data, "items", where, required=False),
    )
    if not section.text and not section.items:
        raise TemplateError(f"{where}: give text, items or both")
    return section


def _signers(data: Mapping[str, Any]) -> tuple[SignerRole, ...]:
    roles = tuple(
        _choice(SignerRole, role, "signers") for role in _strings(data, "signers", "template")
    )
    if len(set(roles)) != len(roles):
        raise TemplateError("signers: a role is listed twice")
    if missing := REQUIRED_SIGNERS - set(roles):
        raise TemplateError(f"signers: must include {', '.join(sorted(missing))}")
    return roles


def _check_keys(
    data: Mapping[str, Any], allowed: frozenset[str], required: frozenset[str], where: str
) -> None:
    if unknown := data.keys() - allowed:
        raise TemplateError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
    if missing := required - data.keys():
        raise TemplateError(f"{where}: missing keys {', '.join(sorted(missing))}")


def _string(data: Mapping[str, Any], key: str, where: str = "", *, required: bool = True) -> str:
    value = data.get(key, None if required else "")
    if not isinstance(value, str) or (required and not value.strip()):
        raise TemplateError(f"{_path(where, key)}: expected non-empty text")
    return value.strip()


def _list(data: Mapping[str, Any], key: str, where: str, *, required: bool = True) -> list[Any]:
    value = data.get(key, None if required else [])
    if not isinstance(value, list) or (required and not value):
        raise TemplateError(f"{_path(where, key)}: expected a non-empty list")
    return value


def _strings(
    data: Mapping[str, Any], key: str, where: str, *, required: bool = True
) -> tuple[str, ...]:
    items = _list(data, key, where, required=required)
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise TemplateError(f"{_path(where, key)}: every entry must be non-empty text")
    return tuple(item.strip() for item in items)


def _date(data: Mapping[str, Any], key: str) -> date:
    value = data[key]
    if isinstance(value, datetime) or not isinstance(value, date):
        raise TemplateError(f"{key}: expected a date such as 2026-01-01 (unquoted)")
    return value


def _choice(kind: type[_Choice], value: Any, where: str) -> _Choice:
    try:
        return kind(value)
    except ValueError:
        allowed = ", ".join(member.value for member in kind)
        raise TemplateError(f"{where}: {value!r} is not one of {allowed}") from None


def _path(where: str, key: str) -> str:
    return f"{where}.{key}" if where and where != "template" else key
