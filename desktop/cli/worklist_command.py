"""`isotrack worklist [--on DATE] [--json]`: what is due across all active courses."""

import argparse
import json
from datetime import date

from desktop.cli.session import open_from_args
from desktop.services.errors import InputError
from desktop.services.worklist import WorklistRow, worklist_on

SCHEMA = "isotrack.worklist/1"


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("worklist", help="what is due, overdue or closing")
    parser.add_argument("--on", metavar="YYYY-MM-DD", help="the day to ask about (default: today)")
    parser.add_argument("--json", action="store_true", help=f"print JSON ({SCHEMA})")
    parser.set_defaults(handler=_worklist)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InputError("--on: write the date as YYYY-MM-DD, for example 2026-11-20.") from None


def _worklist(args: argparse.Namespace) -> int:
    on = _day(args.on) if args.on else None
    clinic = open_from_args(args)
    try:
        on = on or clinic.today()  # the clinic's date, not this computer's or UTC's
        rows = worklist_on(clinic, on)
    finally:
        clinic.close()
    if args.json:
        print(
            json.dumps(
                {"schema": SCHEMA, "as_of": on.isoformat(), "items": [_item(r) for r in rows]},
                ensure_ascii=False,
                indent=2,
            )
        )
        return 0
    print(f"Worklist for {on:%a %d %b %Y}: {len(rows)} items")
    for row in rows:
        print(
            f"{row.severity.value.upper():8} {row.status.value:9} {row.due_on}  {row.mrn:14} "
            f"{row.patient_name}\n{'':29}{row.message}"
        )
    return 0


def _item(row: WorklistRow) -> dict[str, object]:
    return {
        "mrn": row.mrn,
        "patient_name": row.patient_name,
        "kind": row.kind.value,
        "due_date": row.due_on.isoformat(),
        "status": row.status.value,
        "severity": row.severity.value,
        "message": row.message,
        "prescriber": row.prescriber_name,
    }
