"""Electronic signatures: the signer types their password again, and the record keeps their
printed name, what the signature means, when, and a SHA-256 of what was signed (issue 6,
item 11). A signature is attributable to a person, not to a workstation left open."""

import hashlib
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from db.models import StaffUser
from desktop.services.context import Context
from desktop.services.errors import AuthenticationFailed
from desktop.services.passwords import password_matches

COUNSELING_MEANING = (
    "I counselled this patient about isotretinoin and confirmed the counselling in iPLEDGE."
)
CONSENT_MEANING = "I saw this form signed by the people named, and recorded the signature."


@dataclass(frozen=True, slots=True)
class Signature:
    printed_name: str
    meaning: str
    signed_at: datetime
    content_hash: str


def sign(
    session: Session, ctx: Context, password: str, meaning: str, *content: object
) -> Signature:
    """Check the password of the signed-in user and fix what they sign. Raises
    AuthenticationFailed (nothing saved) when the password is wrong."""
    user = session.get(StaffUser, ctx.actor.user_id)
    if user is None or not user.is_active or not password_matches(user.password_hash, password):
        raise AuthenticationFailed("The password is not right; nothing was signed or saved.")
    signed_at = ctx.now()
    parts = (*(str(part) for part in content), user.display_name, meaning, signed_at.isoformat())
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()
    return Signature(user.display_name, meaning, signed_at, digest)
