"""The clinic's logo on every printout: a PNG under 1 MB that an administrator sets or removes."""

import hashlib
import struct

from db.models import ClinicSettings
from db.models.clinic import CLINIC_ROW_ID
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.errors import NotFound, ValidationFailed
from desktop.services.records import ClinicSettingsRecord
from desktop.services.roles import Permission, require
from desktop.services.unit_of_work import audit, load_current, stamp, unit_of_work

MAX_LOGO_BYTES = 1024 * 1024
"""1 MB: a letterhead logo needs far less, and every printout carries it."""
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
_IHDR = struct.Struct(">I4sII")
"""The first chunk of every PNG: length, b"IHDR", width, height."""


def check_logo(png: bytes) -> tuple[Problem, ...]:
    """A PNG file (by its signature and header chunk), not empty, under 1 MB."""
    if len(png) > MAX_LOGO_BYTES:
        size_kb = len(png) // 1024
        return (Problem("logo", f"The logo is {size_kb:,} KB; choose a PNG under 1 MB."),)
    header = png[len(PNG_SIGNATURE) : len(PNG_SIGNATURE) + _IHDR.size]
    if not png.startswith(PNG_SIGNATURE) or len(header) < _IHDR.size:
        return (Problem("logo", "This file is not a PNG image; choose a .png file."),)
    _length, kind, width, height = _IHDR.unpack(header)
    if kind != b"IHDR" or width == 0 or height == 0:
        return (Problem("logo", "This PNG image is damaged; choose another file."),)
    return ()


def _described(png: bytes | None) -> dict[str, object]:
    """What the audit keeps of a logo: its size and fingerprint, not the image."""
    if png is None:
        return {"logo": None}
    return {"logo": f"PNG, {len(png):,} bytes, sha256 {hashlib.sha256(png).hexdigest()}"}


def set_clinic_logo(ctx: Context, png: bytes | None, version: int) -> ClinicSettingsRecord:
    """Replace the logo (`None` removes it); administrators only, audited."""
    require(ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS)
    if png is not None and (problems := check_logo(png)):
        raise ValidationFailed(problems)
    with unit_of_work(ctx) as session:
        row = load_current(session, ClinicSettings, CLINIC_ROW_ID, version, "clinic settings")
        old = _described(row.logo_png)
        row.logo_png = png
        stamp(row, ctx)
        audit(session, ctx, "clinic.logo", "clinic", CLINIC_ROW_ID, old=old, new=_described(png))
        session.flush()
        return ClinicSettingsRecord(
            row.clinic_name,
            row.address,
            row.phone,
            row.logo_png is not None,
            row.time_zone,
            row.ipledge_2026_effective_on,
            row.idle_lock_minutes,
            row.version,
        )


def get_clinic_logo(ctx: Context) -> bytes | None:
    with ctx.sessions.read() as session:
        row = session.get(ClinicSettings, CLINIC_ROW_ID)
        if row is None:
            raise NotFound("The clinic has not been set up yet.")
        return row.logo_png
