"""The shape every writing service shares: open one transaction, load what is edited at the
version the user saw, stamp and audit the change, commit or roll back as one."""

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any, TypeVar

from sqlalchemy import String, event, inspect
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import flag_modified
from sqlalchemy.orm.exc import StaleDataError

from db.audit import append_audit_entry
from db.base import VersionedMixin
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.errors import DatabaseBusy, NotFound, StaleEdit, ValidationFailed

V = TypeVar("V", bound=VersionedMixin)


@contextmanager
def unit_of_work(ctx: Context) -> Iterator[Session]:
    """One transaction for one user action. `load_current` already refuses stale edits; the
    version counter (`version_id_col`) is the last line of defence should a write slip past."""
    try:
        with ctx.sessions.write() as session:
            yield session
            _refresh_worklist(session, ctx)
    except StaleEdit as refused:  # load_current has no context: the clinic's clock is here
        raise refused.in_time_zone(ctx.time_zone) from None
    except StaleDataError:
        raise StaleEdit("record", "another workstation", ctx.now(), ctx.time_zone) from None
    except OperationalError as error:
        if is_busy(error):
            raise DatabaseBusy() from None
        raise


def _refuse_text_the_database_cannot_hold(session: Session, *_: object) -> None:
    """PostgreSQL refuses text longer than its column, or holding a NUL character, with an
    error no form can place (SQLite stores both); such text is a problem beside its field."""
    problems = []
    for row in (*session.new, *session.dirty):
        for attribute in inspect(row).mapper.column_attrs:
            value, kind = getattr(row, attribute.key), attribute.columns[0].type
            if not isinstance(value, str) or not isinstance(kind, String):
                continue
            if "\x00" in value:
                message = "This text holds an invisible control character (NUL): retype it."
                problems.append(Problem(attribute.key, message))
            elif kind.length is not None and len(value) > kind.length:
                message = f"Too long: at most {kind.length} characters."
                problems.append(Problem(attribute.key, message))
    if problems:
        raise ValidationFailed(tuple(problems))


event.listen(Session, "before_flush", _refuse_text_the_database_cannot_hold)
"""Every writing session of the app, this module's and the few that open their own (first
start, sign-in)."""


def is_busy(error: OperationalError) -> bool:
    """SQLite's "database is locked" after the busy timeout; PostgreSQL's lock timeouts."""
    text = str(error.orig).lower()
    return "database is locked" in text or "lock timeout" in text


_CHANGED_PATIENTS = "isotrack_changed_patients"


def _refresh_worklist(session: Session, ctx: Context) -> None:
    """Recompute the worklist of every patient this unit of work changed, before it commits,
    so the stored worklist never disagrees with the record."""
    changed = session.info.pop(_CHANGED_PATIENTS, None)
    if changed:
        # Imported here: the worklist reads through services that themselves use this module.
        from desktop.services.worklist import refresh_for_patients

        refresh_for_patients(session, changed, ctx.today())


def load_current(
    session: Session, model: type[V], record_id: int, expected_version: int, what: str
) -> V:
    """The row as it is now, locked for this transaction; refused if someone saved it since
    the user opened it (their change is kept, and the message says who and when)."""
    row = session.get(model, record_id, with_for_update=True)
    if row is None:
        raise NotFound(f"This {what} no longer exists.")
    if row.version != expected_version:
        raise StaleEdit(what, row.updated_by_name, row.updated_at)
    return row


def stamp(row: VersionedMixin, ctx: Context) -> None:
    """Mark the row as changed now by this user. The row is always rewritten, so its version
    moves on even when the same user saves twice within one clock tick."""
    row.updated_at = ctx.now()
    row.updated_by_name = ctx.actor.display_name
    flag_modified(row, "updated_at")


def snapshot(row: object, fields: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(row, name) for name in fields}


def changed_only(
    old: Mapping[str, Any], new: Mapping[str, Any]
) -> tuple[dict[str, Any], dict[str, Any]]:
    keys = [k for k in new if old.get(k) != new[k]]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def audit(
    session: Session,
    ctx: Context,
    action: str,
    entity: str,
    entity_id: int | None,
    *,
    patient_id: int | None = None,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    reason: str = "",
) -> None:
    if patient_id is not None:
        session.info.setdefault(_CHANGED_PATIENTS, set()).add(patient_id)
    append_audit_entry(
        session,
        ctx.audit_actor(),
        at=ctx.now(),
        action=action,
        entity=entity,
        entity_id=entity_id,
        patient_id=patient_id,
        old=old,
        new=new,
        reason=reason,
    )
