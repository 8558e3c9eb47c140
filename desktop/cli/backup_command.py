"""`isotrack backup --out FILE` and `isotrack restore FILE`: verified copies of the clinic file."""

import argparse
import getpass
import sys
from pathlib import Path

from desktop.cli.session import add_user_option, signed_in
from desktop.services.backup import back_up_clinic, restore_clinic
from desktop.services.context import resolve_database_url
from desktop.services.storage_check import sqlite_path_of

CONFIRMATION_WORD = "RESTORE"


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    backup = subparsers.add_parser(
        "backup",
        help="copy the clinic database into a file (administrators; SQLite only)",
        description="Copy the clinic database through SQLite's backup API while others keep "
        "working, verify the copy, and record the backup in the audit trail.",
    )
    backup.add_argument("--out", required=True, type=Path, metavar="FILE")
    backup.add_argument("--overwrite", action="store_true", help="replace FILE if it exists")
    add_user_option(backup)
    backup.set_defaults(handler=_backup)
    restore = subparsers.add_parser(
        "restore",
        help="replace the clinic database with a verified backup",
        description="Check the backup (integrity, schema, audit chain), keep the current "
        "database aside as a .before-restore-….bak file, then load the backup into it.",
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    restore.set_defaults(handler=_restore)


def _backup(args: argparse.Namespace) -> int:
    ctx = signed_in(args)
    try:
        result = back_up_clinic(ctx, args.out, replace_existing=args.overwrite)
    finally:
        ctx.clinic.close()
    print(
        f"Backed up the clinic database to {result.path} "
        f"(schema {result.schema_revision}, {result.audit_entries} audit entries, verified)."
    )
    return 0


def _confirmed(database: str, backup: Path) -> bool:
    print(
        f"This replaces the clinic database {database} with the backup {backup}.\n"
        "The current database is kept aside first.",
        file=sys.stderr,
    )
    try:
        answer = input(f"Type {CONFIRMATION_WORD} to go on: ")
    except EOFError:
        return False
    return answer.strip() == CONFIRMATION_WORD


def _operator() -> str:
    try:
        return f"restore by OS account {getpass.getuser()}"
    except (KeyError, OSError):
        return "restore by an unknown OS account"


def _restore(args: argparse.Namespace) -> int:
    url = resolve_database_url(args.db)
    database = sqlite_path_of(url)
    if not args.yes and not _confirmed(str(database or url), args.file):
        print("Not confirmed: nothing was changed.", file=sys.stderr)
        return 1
    result = restore_clinic(url, args.file, operator=_operator())
    print(
        f"Restored {result.database} from {result.restored_from} "
        f"(schema {result.schema_revision}, {result.audit_entries} audit entries, verified)."
    )
    if result.previous_copy is not None:
        print(f"The database as it was before is kept in {result.previous_copy}")
    return 0
