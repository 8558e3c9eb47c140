"""`isotrack course import --mrn MRN COURSE.json` and `isotrack course export --mrn MRN`."""

import argparse
import json
from pathlib import Path

from desktop.cli.session import add_user_option, open_from_args, signed_in
from desktop.services.course_transfer import export_course, import_course
from desktop.services.errors import InputError


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("course", help="move courses in and out as course descriptions")
    actions = parser.add_subparsers(dest="course_action", metavar="ACTION", required=True)
    bring_in = actions.add_parser("import", help="store a course description for a patient")
    bring_in.add_argument("--mrn", required=True)
    bring_in.add_argument("file", metavar="COURSE.json", type=Path)
    bring_in.add_argument(
        "--prescriber",
        metavar="USERNAME",
        help="the course's prescriber (default: --user, if a prescriber)",
    )
    add_user_option(bring_in)
    bring_in.set_defaults(handler=_import)
    take_out = actions.add_parser("export", help="print the patient's latest course as JSON")
    take_out.add_argument("--mrn", required=True)
    take_out.set_defaults(handler=_export)


def _import(args: argparse.Namespace) -> int:
    try:
        text = args.file.read_text(encoding="utf-8")
    except OSError as error:
        raise InputError(f"Cannot read {args.file}: {error.strerror}.") from None
    ctx = signed_in(args)
    try:
        record = import_course(ctx, args.mrn, text, args.prescriber or args.user)
    finally:
        ctx.clinic.close()
    print(f"Imported course {record.number} for {args.mrn} ({record.status}).")
    return 0


def _export(args: argparse.Namespace) -> int:
    clinic = open_from_args(args)
    try:
        data = export_course(clinic, args.mrn)
    finally:
        clinic.close()
    print(json.dumps(data, ensure_ascii=False, indent=2))
    return 0
