"""`isotrack db upgrade`: bring the clinic database to this version's schema."""

import argparse

from desktop.cli.db_encrypt_command import add_encrypt_action
from desktop.services.context import resolve_database_url
from desktop.services.database_admin import upgrade_clinic_database


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("db", help="database administration")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    upgrade = actions.add_parser(
        "upgrade", help="upgrade the schema (a SQLite file is backed up first)"
    )
    upgrade.set_defaults(handler=_upgrade)
    add_encrypt_action(actions)


def _upgrade(args: argparse.Namespace) -> int:
    result = upgrade_clinic_database(resolve_database_url(args.db))
    if result.from_revision == result.to_revision:
        print(f"The database is up to date (schema {result.to_revision}).")
        return 0
    print(f"Upgraded the schema from {result.from_revision or 'empty'} to {result.to_revision}.")
    if result.backup_path is not None:
        print(f"The database as it was before is saved in {result.backup_path}")
    return 0
