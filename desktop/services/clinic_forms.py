"""The clinic's own PDF forms (e.g. the official iPLEDGE forms it keeps): added, replaced,
reordered and retired by an administrator, merged into every consent packet of their audience.

Every change is one audited unit of work; the audit keeps the file's sha256 and size, never
its bytes. Forms are retired, never deleted, so a print audit naming one stays explainable.
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from db.models import ClinicFormRow
from desktop.documents.attachments import read_attachments
from desktop.documents.data import ClinicAttachment
from desktop.documents.page import DocumentError
from desktop.rules.clinic_forms import ClinicFormAudience, clinic_form_applies
from desktop.rules.patients import RiskCategory
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.errors import ValidationFailed
from desktop.services.roles import Permission, require
from desktop.services.unit_of_work import audit, load_current, stamp, unit_of_work

MAX_FORM_BYTES = 20 * 1024 * 1024
MAX_TITLE_CHARACTERS = 120
AUDITED_FIELDS = ("title", "audience", "position", "sha256", "size_bytes", "pages", "file_name")


@dataclass(frozen=True, slots=True)
class ClinicFormDraft:
    title: str
    audience: ClinicFormAudience | None
    pdf: bytes | None
    file_name: str = ""


@dataclass(frozen=True, slots=True)
class ClinicFormRecord:
    id: int
    title: str
    audience: ClinicFormAudience
    position: int
    sha256: str
    size_bytes: int
    pages: int
    file_name: str
    added_at: datetime
    added_by_name: str
    updated_at: datetime
    updated_by_name: str
    version: int
    is_retired: bool


@dataclass(frozen=True, slots=True)
class PacketForm:
    """A clinic form as it goes into one packet; the print audit names it by title and
    sha256."""

    title: str
    sha256: str
    pdf: bytes

    @property
    def attachment(self) -> ClinicAttachment:
        return ClinicAttachment(self.title, self.pdf)


def _record(row: ClinicFormRow) -> ClinicFormRecord:
    return ClinicFormRecord(
        row.id,
        row.title,
        ClinicFormAudience(row.audience),
        row.position,
        row.sha256,
        row.size_bytes,
        row.pages,
        row.file_name,
        row.added_at,
        row.added_by_name,
        row.updated_at,
        row.updated_by_name,
        row.version,
        row.retired_at is not None,
    )


def pdf_problems(pdf: bytes | None) -> tuple[tuple[Problem, ...], int]:
    """What is wrong with a file offered as a clinic form, and its page count when nothing is.
    The file is read exactly as the packet builder will read it, so a form that passes here
    cannot stop a packet from printing later."""
    if not pdf:
        return (Problem("pdf", "Choose a PDF file."),), 0
    if len(pdf) > MAX_FORM_BYTES:
        size_mb = len(pdf) / (1024 * 1024)
        message = f"The file is {size_mb:.1f} MB; choose a PDF of at most 20 MB."
        return (Problem("pdf", message),), 0
    try:
        pages = read_attachments((ClinicAttachment("form", pdf),))
    except DocumentError:
        message = (
            "This file cannot be read as a PDF (it may be damaged, password-protected or "
            "another kind of file). Choose the PDF itself, or save an unprotected copy."
        )
        return (Problem("pdf", message),), 0
    return (), len(pages)


def _title_problems(title: str) -> list[Problem]:
    if not title.strip():
        return [Problem("title", "Give the form a title; the packet's contents list shows it.")]
    if len(title.strip()) > MAX_TITLE_CHARACTERS:
        return [Problem("title", f"Too long: at most {MAX_TITLE_CHARACTERS} characters.")]
    return []


def list_clinic_forms(
    ctx: Context, *, include_retired: bool = False
) -> tuple[ClinicFormRecord, ...]:
    """Active forms in print order, then (if asked) retired ones, newest retirement first."""
    with ctx.sessions.read() as session:
        query = select(ClinicFormRow)
        if not include_retired:
            query = query.where(ClinicFormRow.retired_at.is_(None))
        rows = session.scalars(query).all()
        records = [_record(row) for row in rows]
    active = sorted((r for r in records if not r.is_retired), key=lambda r: r.position)
    retired = sorted((r for r in records if r.is_retired), key=lambda r: r.updated_at, reverse=True)
    return (*active, *retired)


def add_clinic_form(ctx: Context, draft: ClinicFormDraft) -> ClinicFormRecord:
    """A new form, printed after the active ones."""
    require(ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS)
    problems = _title_problems(draft.title)
    if draft.audience is None:
        problems.append(Problem("audience", "Choose which patients the form is for."))
    pdf_found, pages = pdf_problems(draft.pdf)
    problems += pdf_found
    if problems:
        raise ValidationFailed(tuple(problems))
    assert draft.pdf is not None
    assert draft.audience is not None
    with unit_of_work(ctx) as session:
        last = session.scalar(
            select(func.max(ClinicFormRow.position)).where(ClinicFormRow.retired_at.is_(None))
        )
        row = ClinicFormRow(
            title=draft.title.strip(),
            audience=draft.audience.value,
            position=(last or 0) + 1,
            added_at=ctx.now(),
            added_by_name=ctx.actor.display_name,
            retired_at=None,
        )
        _store_pdf(row, draft.pdf, pages, draft.file_name)
        stamp(row, ctx)
        session.add(row)
        session.flush()
        audit(session, ctx, "clinic_form.add", "clinic_form", row.id, new=_audited(row))
        return _record(row)


def replace_clinic_form_pdf(
    ctx: Context, form_id: int, expected_version: int, pdf: bytes | None, file_name: str = ""
) -> ClinicFormRecord:
    """A new file for the same form (e.g. a revised iPLEDGE form): same title, place and
    audience; the old and new fingerprints are audited."""
    require(ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS)
    problems, pages = pdf_problems(pdf)
    if problems:
        raise ValidationFailed(problems)
    assert pdf is not None
    with unit_of_work(ctx) as session:
        row = load_current(session, ClinicFormRow, form_id, expected_version, "clinic form")
        old = _audited(row)
        _store_pdf(row, pdf, pages, file_name)
        stamp(row, ctx)
        session.flush()
        audit(
            session, ctx, "clinic_form.replace", "clinic_form", row.id, old=old, new=_audited(row)
        )
        return _record(row)


def move_clinic_form(
    ctx: Context, form_id: int, expected_version: int, step: int
) -> tuple[ClinicFormRecord, ...]:
    """Swap the form with its neighbour in print order (`step` -1: earlier, +1: later).
    At either end nothing changes. Returns the active forms in their new order."""
    require(ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS)
    with unit_of_work(ctx) as session:
        row = load_current(session, ClinicFormRow, form_id, expected_version, "clinic form")
        active = _active(session)
        index = next(i for i, r in enumerate(active) if r.id == row.id)
        other = index + (1 if step > 0 else -1)
        if row.retired_at is None and 0 <= other < len(active):
            neighbour = active[other]
            row.position, neighbour.position = neighbour.position, row.position
            for moved in (row, neighbour):
                stamp(moved, ctx)
            session.flush()
            for moved in (row, neighbour):
                audit(session, ctx, "clinic_form.move", "clinic_form", moved.id,
                      new={"title": moved.title, "position": moved.position})  # fmt: skip
        return tuple(_record(r) for r in _active(session))


def retire_clinic_form(ctx: Context, form_id: int, expected_version: int) -> ClinicFormRecord:
    """The form is no longer printed; it stays on record."""
    require(ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS)
    with unit_of_work(ctx) as session:
        row = load_current(session, ClinicFormRow, form_id, expected_version, "clinic form")
        if row.retired_at is None:
            row.retired_at = ctx.now()
            stamp(row, ctx)
            session.flush()
            audit(session, ctx, "clinic_form.retire", "clinic_form", row.id,
                  old={"retired": False}, new={"title": row.title, "retired": True})  # fmt: skip
        return _record(row)


def forms_for_packet(
    session: Session, category: RiskCategory | None, *, is_minor: bool
) -> tuple[PacketForm, ...]:
    """The active forms that apply to this patient, in print order (domain.md §5)."""
    return tuple(
        PacketForm(row.title, row.sha256, row.pdf)
        for row in _active(session)
        if clinic_form_applies(ClinicFormAudience(row.audience), category, is_minor=is_minor)
    )


def _active(session: Session) -> list[ClinicFormRow]:
    query = (
        select(ClinicFormRow)
        .where(ClinicFormRow.retired_at.is_(None))
        .order_by(ClinicFormRow.position, ClinicFormRow.id)
    )
    return list(session.scalars(query))


def _store_pdf(row: ClinicFormRow, pdf: bytes, pages: int, file_name: str) -> None:
    row.pdf = pdf
    row.sha256 = hashlib.sha256(pdf).hexdigest()
    row.size_bytes = len(pdf)
    row.pages = pages
    # Only the name is kept, never the folder: paths can hold a user's or a patient's name.
    row.file_name = file_name.replace("\\", "/").rsplit("/", 1)[-1][:255]


def _audited(row: ClinicFormRow) -> dict[str, object]:
    return {name: getattr(row, name) for name in AUDITED_FIELDS}
