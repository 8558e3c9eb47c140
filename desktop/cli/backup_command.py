"""`isotrack backup --out FILE` and `isotrack restore FILE`: verified copies of the clinic file."""

import argparse
import sys
from pathlib import Path

from desktop.cli.session import PASSWORD_VARIABLE, add_user_option, read_secret, signed_in
from desktop.services.backup import back_up_clinic, restore_clinic, restore_target
from desktop.services.context import resolve_database_url

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
        help="replace the clinic database with a verified backup (administrators)",
        description="Check the backup (integrity, schema, audit chain), keep the current "
        "database aside as a .before-restore-….bak file, then load the backup into it. "
        "--user must be an administrator of the current database (of the backup when there "
        "is no current database); the restore is audited under that name in both.",
    )
    restore.add_argument("file", type=Path, metavar="FILE")
    restore.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    add_user_option(restore)
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


def _restore(args: argparse.Namespace) -> int:
    url = resolve_database_url(args.db)
    database = restore_target(url)
    if not args.yes and not _confirmed(str(database), args.file):
        print("Not confirmed: nothing was changed.", file=sys.stderr)
        return 1
    password = read_secret(PASSWORD_VARIABLE, f"Password for {args.user}: ")
    result = restore_clinic(url, args.file, username=args.user, password=password)
    print(
        f"Restored {result.database} from {result.restored_from} "
        f"(schema {result.schema_revision}, {result.audit_entries} audit entries, verified)."
    )
    if result.previous_copy is not None:
        print(f"The database as it was before is kept in {result.previous_copy}")
    return 0
