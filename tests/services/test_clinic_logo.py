"""The clinic logo: a PNG under 1 MB, set and removed by administrators only, audited."""

import json
import struct
import zlib

import pytest
from sqlalchemy import select

from db.models import AuditEntry
from desktop.services.clinic_logo import (
    MAX_LOGO_BYTES,
    check_logo,
    get_clinic_logo,
    set_clinic_logo,
)
from desktop.services.clinic_setup import get_clinic_settings
from desktop.services.context import Context
from desktop.services.errors import NotAllowed, StaleEdit, ValidationFailed


def tiny_png(width: int = 2, height: int = 1) -> bytes:
    """A valid PNG (8-bit grey), built by hand so the test needs no image library."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    pixels = zlib.compress(b"".join(b"\x00" + b"\x80" * width for _ in range(height)))
    signature = b"\x89PNG\r\n\x1a\n"
    return signature + chunk(b"IHDR", header) + chunk(b"IDAT", pixels) + chunk(b"IEND", b"")


def _problem(error: pytest.ExceptionInfo[ValidationFailed]) -> str:
    return error.value.problems[0].message


def test_an_administrator_sets_and_removes_the_logo(admin_ctx: Context) -> None:
    version = get_clinic_settings(admin_ctx).version
    saved = set_clinic_logo(admin_ctx, tiny_png(), version)
    assert saved.has_logo
    assert saved.version == version + 1
    assert get_clinic_logo(admin_ctx) == tiny_png()
    removed = set_clinic_logo(admin_ctx, None, saved.version)
    assert not removed.has_logo
    assert get_clinic_logo(admin_ctx) is None


def test_the_audit_keeps_a_fingerprint_not_the_image(admin_ctx: Context) -> None:
    set_clinic_logo(admin_ctx, tiny_png(), get_clinic_settings(admin_ctx).version)
    with admin_ctx.sessions.read() as session:
        entry = session.scalars(select(AuditEntry).order_by(AuditEntry.seq.desc())).first()
        assert entry is not None
        assert entry.action == "clinic.logo"
        new, old = json.loads(entry.new_values), json.loads(entry.old_values)
    assert new["logo"].startswith(f"PNG, {len(tiny_png()):,} bytes, sha256 ")
    assert old == {"logo": None}


def test_a_nurse_may_not_change_the_logo(nurse_ctx: Context) -> None:
    with pytest.raises(NotAllowed):
        set_clinic_logo(nurse_ctx, tiny_png(), get_clinic_settings(nurse_ctx).version)


def test_a_stale_version_is_refused(admin_ctx: Context) -> None:
    version = get_clinic_settings(admin_ctx).version
    set_clinic_logo(admin_ctx, tiny_png(), version)
    with pytest.raises(StaleEdit):
        set_clinic_logo(admin_ctx, None, version)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"GIF89a....", "This file is not a PNG image; choose a .png file."),
        (b"", "This file is not a PNG image; choose a .png file."),
        (b"\x89PNG\r\n\x1a\n", "This file is not a PNG image; choose a .png file."),
        (tiny_png(width=0), "This PNG image is damaged; choose another file."),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, "This PNG image is damaged; choose another file."),
        (tiny_png() + b"\x00" * MAX_LOGO_BYTES, "The logo is 1,024 KB; choose a PNG under 1 MB."),
    ],
    ids=["gif", "empty", "signature only", "zero width", "no header chunk", "over 1 MB"],
)
def test_what_is_not_a_small_png_is_refused(admin_ctx: Context, data: bytes, message: str) -> None:
    assert check_logo(data)[0].message == message
    with pytest.raises(ValidationFailed) as refused:
        set_clinic_logo(admin_ctx, data, get_clinic_settings(admin_ctx).version)
    assert _problem(refused) == message
    assert get_clinic_logo(admin_ctx) is None


def test_a_png_of_exactly_1_mb_is_accepted() -> None:
    padded = tiny_png() + b"\x00" * (MAX_LOGO_BYTES - len(tiny_png()))
    assert len(padded) == MAX_LOGO_BYTES
    assert check_logo(padded) == ()
