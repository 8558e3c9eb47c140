"""`isotrack print consent-packet|visit-summary --mrn MRN --out FILE.pdf` (DESIGN.md, public CLI).

The file is written atomically (a temporary file beside it, then renamed), and an existing
file is kept unless `--overwrite` is given. Building the document is audited as prepared, and
writing the file as saved (only once it is on disk).
"""

import argparse
import os
import tempfile
from datetime import date
from pathlib import Path

from desktop.cli.session import add_user_option, signed_in
from desktop.services.context import Context
from desktop.services.errors import InputError
from desktop.services.patients import find_patient_by_mrn
from desktop.services.printing import (
    Audience,
    PrintedDocument,
    print_consent_packet,
    print_visit_summary,
    record_documents_saved,
)


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("print", help="print a consent packet or visit summary to PDF")
    kinds = parser.add_subparsers(dest="document", metavar="DOCUMENT", required=True)

    packet = kinds.add_parser(
        "consent-packet",
        help="the consent forms this patient needs today, with a cover sheet",
        description="The consent packet for the patient's iPLEDGE category and age today.",
    )
    _common(packet)
    packet.add_argument(
        "--witness", action="store_true", help="add a witness signature line to each form"
    )
    packet.set_defaults(handler=_consent_packet)

    summary = kinds.add_parser(
        "visit-summary",
        help="a visit summary for the patient or the chart",
        description="The summary of one visit (default: the latest).",
    )
    _common(summary)
    summary.add_argument("--visit", metavar="YYYY-MM-DD", help="the visit date (default: latest)")
    summary.add_argument(
        "--for",
        dest="audience",
        choices=[a.value for a in Audience],
        default=Audience.PATIENT.value,
        help="patient: plain words (default); chart: everything recorded",
    )
    summary.set_defaults(handler=_visit_summary)


def _common(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--mrn", required=True, metavar="MRN")
    parser.add_argument("--out", required=True, metavar="FILE.pdf", help="where to write the PDF")
    parser.add_argument(
        "--overwrite", action="store_true", help="replace FILE.pdf if it exists already"
    )
    add_user_option(parser)


def _consent_packet(args: argparse.Namespace) -> int:
    out = _target(args)
    ctx = signed_in(args)
    try:
        patient = find_patient_by_mrn(ctx, args.mrn)
        document = print_consent_packet(ctx, patient.id, include_witness=args.witness)
        return _write(ctx, document, out, overwrite=args.overwrite)
    finally:
        ctx.clinic.close()


def _visit_summary(args: argparse.Namespace) -> int:
    out = _target(args)
    visit_on = _visit_date(args.visit)
    ctx = signed_in(args)
    try:
        patient = find_patient_by_mrn(ctx, args.mrn)
        document = print_visit_summary(
            ctx, patient.id, visit_on=visit_on, audience=Audience(args.audience)
        )
        return _write(ctx, document, out, overwrite=args.overwrite)
    finally:
        ctx.clinic.close()


def _visit_date(text: str | None) -> date | None:
    if text is None:
        return None
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("--visit: write the date as YYYY-MM-DD, for example 2026-11-20.") from None


def _target(args: argparse.Namespace) -> Path:
    """Checked before anything is built or recorded, so a refused file leaves no print behind."""
    out = Path(args.out)
    if out.exists() and not args.overwrite:
        raise InputError(f"{out} exists already; add --overwrite to replace it.")
    if not out.parent.is_dir():
        raise InputError(f"The folder {out.parent} does not exist.")
    return out


def _write(ctx: Context, document: PrintedDocument, out: Path, *, overwrite: bool) -> int:
    write_atomically(document.pdf, out, overwrite=overwrite)
    record_documents_saved(ctx, [document])
    noun = "page" if document.pages == 1 else "pages"
    print(f"Wrote {document.pages} {noun} to {out}")
    return 0


def write_atomically(data: bytes, out: Path, *, overwrite: bool) -> None:
    """A temporary file in the same folder, flushed to disk, then renamed over `out`: a reader
    never sees half a PDF."""
    handle, name = tempfile.mkstemp(prefix=f".{out.name}.", suffix=".tmp", dir=out.parent)
    temporary = Path(name)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if overwrite:
            temporary.replace(out)
        else:
            # link() refuses an existing target, so a file made meanwhile is not replaced.
            try:
                os.link(temporary, out)
            except FileExistsError:
                raise InputError(f"{out} exists already; add --overwrite to replace it.") from None
            except OSError:
                # File systems without hard links: a plain rename after a last check.
                if out.exists():
                    raise InputError(
                        f"{out} exists already; add --overwrite to replace it."
                    ) from None
                temporary.replace(out)
    finally:
        temporary.unlink(missing_ok=True)
