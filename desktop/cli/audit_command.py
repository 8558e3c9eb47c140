"""`isotrack audit verify`: check that the audit chain is whole."""

import argparse
import sys

from desktop.cli.session import open_from_args
from desktop.services.database_admin import verify_audit_trail


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("audit", help="audit trail")
    actions = parser.add_subparsers(dest="audit_action", metavar="ACTION", required=True)
    verify = actions.add_parser(
        "verify",
        help="check that no audit row was altered or removed",
        description="Walk the hash chain (an entry altered, removed or inserted out of band), "
        "then check it against the records: every record's last change must have its entry "
        "(entries removed from the end), and the append-only guards must be in place.",
    )
    verify.set_defaults(handler=_verify)


def _verify(args: argparse.Namespace) -> int:
    clinic = open_from_args(args)
    try:
        result = verify_audit_trail(clinic)
    finally:
        clinic.close()
    if result.is_whole:
        print(
            f"Audit trail verified: {result.entries} entries, chain whole, every record's last "
            "change audited, append-only guards in place."
        )
        return 0
    if not result.chain_whole:
        print(
            f"Audit trail BROKEN at entry {result.first_broken_seq}: {result.problem}.",
            file=sys.stderr,
        )
    if result.missing:
        print("Audit trail INCOMPLETE:", file=sys.stderr)
        for problem in result.missing:
            print(f"  - {problem}", file=sys.stderr)
    print("Keep this database as it is and tell your administrator.", file=sys.stderr)
    return 1
