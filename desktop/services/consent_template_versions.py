"""Consent template versions from both places they live: the shipped files in
resources/consents/ (the defaults) and versions an administrator adds in the app.

The version in force on a day is the one with the latest effective date on or before that
day, the newest shipped version being in force regardless (as it always was); a tie goes to
the higher version. Versions are never edited: a reprint shows the exact words signed
(domain.md §5), so a change of wording is always a new version.
"""

import hashlib
import tomllib
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache

from sqlalchemy import select
from sqlalchemy.orm import Session

from db.models import ConsentTemplateVersionRow
from desktop.documents.data import ConsentTemplate
from desktop.documents.templates import TemplateError, parse_consent_template, version_key
from desktop.rules.consents import ConsentForm
from desktop.rules.problems import Problem
from desktop.services.catalog.consent_templates import (
    consent_template_versions,
    load_consent_template,
)
from desktop.services.consent_wording import wording_toml
from desktop.services.context import Context
from desktop.services.errors import ValidationFailed
from desktop.services.roles import Permission, require
from desktop.services.unit_of_work import audit, unit_of_work

KEYS_FROM_FIELDS = ("id", "version", "effective_on")


@dataclass(frozen=True, slots=True)
class TemplateVersionRecord:
    form: ConsentForm
    version: str
    effective_on: date
    is_shipped: bool
    """From resources/consents/ rather than added in the app."""
    added_by_name: str = ""
    added_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ConsentTemplateSummary:
    """One form as the administrator's dialog shows it: what prints today, and its wording."""

    form: ConsentForm
    title: str
    current: TemplateVersionRecord
    current_wording: str
    versions: tuple[TemplateVersionRecord, ...]


@dataclass(frozen=True, slots=True)
class ConsentTemplateVersionDraft:
    form: ConsentForm | None
    version: str
    effective_on: date | None
    wording: str
    """The template's TOML without id, version and effective_on (the draft's own fields)."""


@cache
def _shipped(form: ConsentForm, version: str) -> ConsentTemplate:
    """A shipped version never changes; a new version is a new file."""
    return load_consent_template(form, version)


def _parse(row: ConsentTemplateVersionRow) -> ConsentTemplate:
    data = tomllib.loads(row.wording_toml)
    data.update(id=row.form, version=row.version, effective_on=row.effective_on)
    return parse_consent_template(data)


def _clinic_rows(session: Session, form: ConsentForm) -> list[ConsentTemplateVersionRow]:
    query = select(ConsentTemplateVersionRow).where(ConsentTemplateVersionRow.form == form.value)
    return list(session.scalars(query))


def template_versions(session: Session, form: ConsentForm) -> tuple[TemplateVersionRecord, ...]:
    """Every version of `form`, shipped and added, oldest first (2026.2 before 2026.10)."""
    found = [
        TemplateVersionRecord(form, v, _shipped(form, v).effective_on, True)
        for v in consent_template_versions(form)
    ]
    found += [
        TemplateVersionRecord(
            form, row.version, row.effective_on, False, row.added_by_name, row.added_at
        )
        for row in _clinic_rows(session, form)
    ]
    return tuple(sorted(found, key=lambda record: version_key(record.version)))


def version_in_force(session: Session, form: ConsentForm, on: date) -> TemplateVersionRecord:
    """The version printed and offered for signing on `on`."""
    versions = template_versions(session, form)
    if not versions:
        raise TemplateError(f"No consent template is installed for {form.value}.")
    shipped = [v for v in versions if v.is_shipped]
    candidates = shipped[-1:] + [v for v in versions if not v.is_shipped and v.effective_on <= on]
    return max(candidates, key=lambda v: (v.effective_on, version_key(v.version)))


def load_template(session: Session, form: ConsentForm, version: str) -> ConsentTemplate:
    """The exact wording of `version`, wherever it is kept."""
    for row in _clinic_rows(session, form):
        if row.version == version:
            return _parse(row)
    return _shipped(form, version)


def signable_versions(session: Session, form: ConsentForm, on: date) -> tuple[str, ...]:
    """Versions a form signed on `on` can have been printed in: every shipped version, and
    added versions already in force that day. Oldest first; the last is the one in force."""
    in_force = version_in_force(session, form, on).version
    usable = [
        v.version for v in template_versions(session, form) if v.is_shipped or v.effective_on <= on
    ]
    # The version in force goes last, so a form signed today defaults to it.
    return (*(v for v in usable if v != in_force), in_force)


def signable_template_versions(ctx: Context, form: ConsentForm) -> tuple[str, ...]:
    """For the signing dialog: `signable_versions` today."""
    with ctx.sessions.read() as session:
        return signable_versions(session, form, ctx.today())


def consent_template_overview(ctx: Context) -> tuple[ConsentTemplateSummary, ...]:
    """Every form, its version in force today and that version's wording, for editing."""
    today = ctx.today()
    summaries = []
    with ctx.sessions.read() as session:
        for form in ConsentForm:
            current = version_in_force(session, form, today)
            row = next(
                (r for r in _clinic_rows(session, form) if r.version == current.version), None
            )
            template = load_template(session, form, current.version)
            wording = row.wording_toml if row is not None else wording_toml(template)
            versions = template_versions(session, form)
            summaries.append(
                ConsentTemplateSummary(form, template.title, current, wording, versions)
            )
    return tuple(summaries)


def add_consent_template_version(
    ctx: Context, draft: ConsentTemplateVersionDraft
) -> TemplateVersionRecord:
    """A new version of one of the clinic's consent templates, in force from its effective
    date for printing and signing."""
    require(ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS)
    with unit_of_work(ctx) as session:
        if problems := _problems(session, draft, ctx.today()):
            raise ValidationFailed(tuple(problems))
        assert draft.form is not None
        assert draft.effective_on is not None
        wording = draft.wording.strip() + "\n"
        row = ConsentTemplateVersionRow(
            form=draft.form.value,
            version=draft.version.strip(),
            effective_on=draft.effective_on,
            wording_toml=wording,
            sha256=hashlib.sha256(wording.encode()).hexdigest(),
            added_at=ctx.now(),
            added_by_name=ctx.actor.display_name,
        )
        session.add(row)
        session.flush()
        new = {"form": row.form, "version": row.version, "effective_on": row.effective_on,
               "sha256": row.sha256}  # fmt: skip
        audit(session, ctx, "consent_template.add_version", "consent_template_version", row.id,
              new=new)  # fmt: skip
        return TemplateVersionRecord(
            draft.form, row.version, row.effective_on, False, row.added_by_name, row.added_at
        )


def _problems(session: Session, draft: ConsentTemplateVersionDraft, today: date) -> list[Problem]:
    if draft.form is None:
        return [Problem("form", "Choose the consent form.")]
    versions = template_versions(session, draft.form)
    newest = max(versions, key=lambda v: version_key(v.version))
    problems = _version_problems(draft.version.strip(), newest)
    if draft.effective_on is None:
        problems.append(Problem("effective_on", "Enter the date this version takes effect."))
    elif draft.effective_on < today:
        message = "A new version takes effect today or later: printed packets cannot change."
        problems.append(Problem("effective_on", message))
    elif draft.effective_on < max(v.effective_on for v in versions):
        latest = max(v.effective_on for v in versions)
        message = (
            f"Make it take effect on or after {latest.isoformat()}, the latest version's date."
        )
        problems.append(Problem("effective_on", message))
    current = load_template(session, draft.form, newest.version)
    problems += _wording_problems(draft, current)
    return problems


def _version_problems(version: str, newest: TemplateVersionRecord) -> list[Problem]:
    try:
        key = version_key(version)
    except TemplateError:
        return [Problem("version", "Type the version as YEAR.REVISION, e.g. 2026.2.")]
    if key <= version_key(newest.version):
        message = (
            f"Use a version after {newest.version}, the newest of this form; "
            "saved versions never change."
        )
        return [Problem("version", message)]
    return []


def _wording_problems(
    draft: ConsentTemplateVersionDraft, current: ConsentTemplate
) -> list[Problem]:
    try:
        data = tomllib.loads(draft.wording)
    except tomllib.TOMLDecodeError as error:
        return [Problem("wording", f"The wording is not valid TOML: {error}.")]
    if given := [key for key in KEYS_FROM_FIELDS if key in data]:
        message = (
            f"Remove the {', '.join(given)} line: the form, version and date come from "
            "their own fields."
        )
        return [Problem("wording", message)]
    # The wording alone is checked here; the version and date have their own problems.
    data.update(id=current.form.value, version=current.version, effective_on=current.effective_on)
    try:
        template = parse_consent_template(data)
    except TemplateError as error:
        return [Problem("wording", f"The wording has a problem: {error}.")]
    if template.applies_to is not current.applies_to:
        # Which patients get a form is decided by the rules (domain.md §5), not by its text.
        message = f'applies_to must stay "{current.applies_to.value}" for this form.'
        return [Problem("wording", message)]
    return []
