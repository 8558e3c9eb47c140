"""Electronic signatures: the signer types their password again, and the record keeps their
printed name, what the signature means, when, and a SHA-256 of what was signed (issue 6,
item 11). A signature is attributable to a person, not to a workstation left open.

Signed records are never edited in place: a correction voids the signed row with a reason,
itself a signature, and the corrected values become a new signed row that points at the one
it replaces. The voided row keeps every value it held."""

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, tzinfo
from typing import Any, TypeVar

from sqlalchemy.orm import Session

from db.models import StaffUser
from db.models.voidable import VOID_REASON_LENGTH, VoidableMixin
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.errors import AuthenticationFailed, NotFound, StaleEdit
from desktop.services.passwords import password_matches
from desktop.services.records import VoidRecord
from desktop.services.unit_of_work import audit

COUNSELING_MEANING = (
    "I counselled this patient about isotretinoin and confirmed the counselling in iPLEDGE."
)
CONSENT_MEANING = "I saw this form signed by the people named, and recorded the signature."
CONSENT_CORRECTION_MEANING = (
    "I checked the signed form and recorded it again, correcting the entry this replaces."
)
VOID_MEANING = "I void this signed record for the reason given; it stays on file, marked void."
REASON_PROBLEM = "Give the reason for the correction (it is kept with the record)."
REASON_MAX_CHARS = VOID_REASON_LENGTH

V = TypeVar("V", bound=VoidableMixin)


@dataclass(frozen=True, slots=True)
class Signature:
    printed_name: str
    meaning: str
    signed_at: datetime
    content_hash: str


@dataclass(frozen=True, slots=True)
class Signer:
    """A user whose password was just checked; one action may sign more than once (a void
    and the corrected record) with a single password prompt."""

    printed_name: str
    signed_at: datetime

    def sign(self, meaning: str, *content: object) -> Signature:
        parts = (*(str(p) for p in content), self.printed_name, meaning, self.signed_at.isoformat())
        digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
        return Signature(self.printed_name, meaning, self.signed_at, digest)


def signer(session: Session, ctx: Context, password: str) -> Signer:
    """The signed-in user, once their password is checked. Raises AuthenticationFailed
    (nothing saved) when the password is wrong."""
    user = session.get(StaffUser, ctx.actor.user_id)
    if user is None or not user.is_active or not password_matches(user.password_hash, password):
        raise AuthenticationFailed("The password is not right; nothing was signed or saved.")
    return Signer(user.display_name, ctx.now())


def sign(
    session: Session, ctx: Context, password: str, meaning: str, *content: object
) -> Signature:
    """Check the password of the signed-in user and fix what they sign. Raises
    AuthenticationFailed (nothing saved) when the password is wrong."""
    return signer(session, ctx, password).sign(meaning, *content)


def reason_problems(reason: str) -> list[Problem]:
    """A void needs a reason a reader can act on, short enough to keep whole."""
    text = reason.strip()
    if not text:
        return [Problem("reason", REASON_PROBLEM)]
    if len(text) > REASON_MAX_CHARS:
        return [Problem("reason", f"Too long: at most {REASON_MAX_CHARS} characters.")]
    return []


class AlreadyVoided(StaleEdit):
    """Someone voided (or corrected) this signed record after it was opened here."""

    def __init__(
        self, what: str, voided_by: str, voided_at: datetime, time_zone: tzinfo = UTC
    ) -> None:
        super().__init__(what, voided_by, voided_at, time_zone)
        local = voided_at.astimezone(time_zone)
        self.args = (
            f"This {what} was voided by {voided_by} at {local:%Y-%m-%d %H:%M} "
            f"{local.tzname()} after you opened it. Nothing was saved; reopen it to see why.",
        )

    def in_time_zone(self, time_zone: tzinfo) -> "AlreadyVoided":
        return AlreadyVoided(self.what, self.changed_by, self.changed_at, time_zone)


def standing_row(session: Session, model: type[V], row_id: int, what: str) -> V:
    """The signed row, locked for this transaction and still standing. A row is voided
    once: a second void or correction (another workstation's, most likely) is refused
    naming who voided it and when."""
    row = session.get(model, row_id, with_for_update=True)
    if row is None:
        raise NotFound(f"This {what} no longer exists.")
    if row.voided_at is not None:
        raise AlreadyVoided(what, row.voided_by_name or "", row.voided_at)
    return row


def void_record(row: VoidableMixin) -> VoidRecord | None:
    """Why the row no longer counts, or None while its signature stands."""
    if row.voided_at is None:
        return None
    return VoidRecord(row.voided_at, row.voided_by_name or "", row.void_reason or "")


@dataclass(frozen=True, slots=True)
class VoidedRow:
    """What the audit entries of a void and a correction name: the row (`what` in words,
    `kind` the audit action's prefix, `id_key` its id's key in a correction's values), its
    patient, and the values it keeps (shown before and after, so the old value stays
    readable in the History)."""

    what: str
    kind: str
    entity: str
    id_key: str
    row_id: int
    patient_id: int
    signature_hash: str
    kept: Mapping[str, Any]


def void_signed(
    session: Session,
    ctx: Context,
    row: VoidableMixin,
    voided: VoidedRow,
    by: Signer,
    reason: str,
    replaced_by: int | None = None,
) -> None:
    """Mark `row` (from `standing_row`) void, signed by `by` with the reason, and audit it:
    status signed to voided, who voided it with what meaning, the void's own signature
    hash, the row that replaces it if any, and the reason. The row keeps every value."""
    text = reason.strip()
    signature = by.sign(VOID_MEANING, voided.what, voided.row_id, voided.signature_hash, text)
    row.voided_at = signature.signed_at
    row.voided_by_name = signature.printed_name
    row.void_reason = text
    row.void_signature_hash = signature.content_hash
    new: dict[str, Any] = {
        **voided.kept,
        "status": "voided",
        "voided_by": signature.printed_name,
        "meaning": signature.meaning,
        "void_signature_hash": signature.content_hash,
    }
    if replaced_by is not None:
        new["replaced_by"] = replaced_by
    audit(
        session,
        ctx,
        f"{voided.kind}.void",
        voided.entity,
        voided.row_id,
        patient_id=voided.patient_id,
        old={**voided.kept, "status": "signed", "signature_hash": voided.signature_hash},
        new=new,
        reason=text,
    )


@dataclass(frozen=True, slots=True)
class Correction:
    """The signed row that replaces a voided one, once flushed, and the values it keeps."""

    row_id: int
    signature: Signature
    kept: Mapping[str, Any]


def replace_signed(
    session: Session,
    ctx: Context,
    row: VoidableMixin,
    voided: VoidedRow,
    by: Signer,
    reason: str,
    correction: Correction,
) -> None:
    """Void `row` as replaced by `correction`, signed by `by` (one password prompt for
    both), and audit the correction with the old and new values, each with its id and
    signature hash, who signed the new one with what meaning, and the reason."""
    void_signed(session, ctx, row, voided, by, reason, replaced_by=correction.row_id)
    signature = correction.signature
    audit(
        session,
        ctx,
        f"{voided.kind}.correct",
        voided.entity,
        correction.row_id,
        patient_id=voided.patient_id,
        old={
            **voided.kept,
            voided.id_key: voided.row_id,
            "signature_hash": voided.signature_hash,
        },
        new={
            **correction.kept,
            voided.id_key: correction.row_id,
            "signature_hash": signature.content_hash,
            "signed_by": signature.printed_name,
            "meaning": signature.meaning,
            "replaces": voided.row_id,
        },
        reason=row.void_reason or "",
    )
