"""Append-only audit entries, hash-chained, written inside the caller's transaction.

Each row's hash is SHA-256 over the previous row's hash and this row's canonical content,
so altering, deleting or inserting a row out of band breaks the chain at that row.
"""

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import insert, select, text
from sqlalchemy.orm import Session

from db.models.audit import AuditEntry

GENESIS_HASH = "0" * 64
_PG_AUDIT_LOCK_KEY = 0x15071A  # any constant: one advisory lock serialises chain appends


@dataclass(frozen=True, slots=True)
class AuditActor:
    user_id: int | None
    name: str
    workstation: str


def canonical_json(values: Mapping[str, Any] | None) -> str:
    return json.dumps(
        values or {}, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=_plain
    )


def _plain(value: object) -> str:
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, bytes):
        return hashlib.sha256(value).hexdigest()
    raise TypeError(f"cannot audit a value of type {type(value).__name__}")


def _content(entry: AuditEntry) -> str:
    return canonical_json(
        {
            "seq": entry.seq,
            "at": entry.at.isoformat(),
            "actor_id": entry.actor_id,
            "actor_name": entry.actor_name,
            "workstation": entry.workstation,
            "action": entry.action,
            "entity": entry.entity,
            "entity_id": entry.entity_id,
            "patient_id": entry.patient_id,
            "old": entry.old_values,
            "new": entry.new_values,
            "reason": entry.reason,
        }
    )


def entry_hash(prev_hash: str, entry: AuditEntry) -> str:
    return hashlib.sha256((prev_hash + _content(entry)).encode("utf-8")).hexdigest()


@dataclass(frozen=True, slots=True)
class PendingAudit:
    """One entry for `append_audit_entries` (bulk loads such as demo data)."""

    at: datetime
    action: str
    entity: str
    entity_id: int | None
    patient_id: int | None = None
    new: Mapping[str, Any] | None = None


def append_audit_entry(
    session: Session,
    actor: AuditActor,
    *,
    at: datetime,
    action: str,
    entity: str,
    entity_id: int | None,
    patient_id: int | None = None,
    old: Mapping[str, Any] | None = None,
    new: Mapping[str, Any] | None = None,
    reason: str = "",
) -> AuditEntry:
    """Append one entry to the chain, in the caller's transaction (committed with the change
    it describes, or not at all)."""
    seq, prev_hash = _chain_end(session)
    entry = AuditEntry(
        seq=seq,
        at=at,
        actor_id=actor.user_id,
        actor_name=actor.name,
        workstation=actor.workstation,
        action=action,
        entity=entity,
        entity_id=entity_id,
        patient_id=patient_id,
        old_values=canonical_json(old),
        new_values=canonical_json(new),
        reason=reason,
        prev_hash=prev_hash,
    )
    entry.hash = entry_hash(prev_hash, entry)
    session.add(entry)
    session.flush()
    return entry


def _chain_end(session: Session) -> tuple[int, str]:
    """The next sequence number and the hash to link to, under the chain lock."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _PG_AUDIT_LOCK_KEY})
    last = session.execute(
        select(AuditEntry.seq, AuditEntry.hash).order_by(AuditEntry.seq.desc()).limit(1)
    ).first()
    return (last.seq + 1, last.hash) if last else (1, GENESIS_HASH)


def append_audit_entries(session: Session, actor: AuditActor, pending: list[PendingAudit]) -> None:
    """Append many entries with one bulk insert: the same chain, computed in order here."""
    seq, prev_hash = _chain_end(session)
    rows = []
    for item in pending:
        entry = AuditEntry(
            seq=seq, at=item.at, actor_id=actor.user_id, actor_name=actor.name,
            workstation=actor.workstation, action=item.action, entity=item.entity,
            entity_id=item.entity_id, patient_id=item.patient_id, old_values=canonical_json(None),
            new_values=canonical_json(item.new), reason="", prev_hash=prev_hash,
        )  # fmt: skip
        entry.hash = prev_hash = entry_hash(prev_hash, entry)
        rows.append({c: getattr(entry, c) for c in _AUDIT_COLUMNS})
        seq += 1
    if rows:
        session.execute(insert(AuditEntry), rows)


_AUDIT_COLUMNS = (
    "seq", "at", "actor_id", "actor_name", "workstation", "action", "entity", "entity_id",
    "patient_id", "old_values", "new_values", "reason", "prev_hash", "hash",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class ChainReport:
    entries: int
    first_broken_seq: int | None
    problem: str

    @property
    def is_whole(self) -> bool:
        return self.first_broken_seq is None


def verify_chain(session: Session, *, batch: int = 5000) -> ChainReport:
    """Walk the chain in order; report the first row whose link or content does not match."""
    expected_prev, expected_seq, count = GENESIS_HASH, 1, 0
    query = select(AuditEntry).order_by(AuditEntry.seq).execution_options(yield_per=batch)
    for entry in session.scalars(query):
        count += 1
        if entry.seq != expected_seq:
            return ChainReport(count, expected_seq, f"row {expected_seq} is missing")
        if entry.prev_hash != expected_prev:
            return ChainReport(
                count, entry.seq, f"row {entry.seq} does not follow row {entry.seq - 1}"
            )
        if entry_hash(entry.prev_hash, entry) != entry.hash:
            return ChainReport(count, entry.seq, f"row {entry.seq} was altered")
        expected_prev, expected_seq = entry.hash, expected_seq + 1
    return ChainReport(count, None, "")
