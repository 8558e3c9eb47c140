"""`isotrack db upgrade`: bring the clinic database to this version's schema."""

import argparse

from desktop.cli.db_encrypt_command import add_encrypt_action
from desktop.services.context import resolve_database_url
from desktop.services.database_admin import grant_application_role, upgrade_clinic_database
from desktop.services.storage_check import sqlite_path_of


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("db", help="database administration")
    actions = parser.add_subparsers(dest="db_action", metavar="ACTION", required=True)
    upgrade = actions.add_parser(
        "upgrade", help="upgrade the schema (a SQLite file is backed up first)"
    )
    upgrade.set_defaults(handler=_upgrade)
    grant = actions.add_parser(
        "grant-app-role",
        help="PostgreSQL: give the workstations' role only what IsoTrack needs",
        description="Run as the tables' owner after `isotrack db upgrade` (and again after "
        "each upgrade). ROLE, an existing login role that does not own the tables, gets "
        "SELECT, INSERT, UPDATE and DELETE on the clinical tables, only SELECT and INSERT on "
        "the audit trail, and the sequences; whatever else it held on them is revoked.",
    )
    grant.add_argument("role", metavar="ROLE")
    grant.set_defaults(handler=_grant)
    add_encrypt_action(actions)


def _upgrade(args: argparse.Namespace) -> int:
    url = resolve_database_url(args.db)
    result = upgrade_clinic_database(url)
    if result.from_revision == result.to_revision:
        print(f"The database is up to date (schema {result.to_revision}).")
        return 0
    print(f"Upgraded the schema from {result.from_revision or 'empty'} to {result.to_revision}.")
    if result.backup_path is not None:
        print(f"The database as it was before is saved in {result.backup_path}")
    if sqlite_path_of(url) is None:
        print(
            "Now run `isotrack db grant-app-role ROLE` as this same owner, ROLE being the role "
            "the workstations connect as, so that it can use any new tables."
        )
    return 0


def _grant(args: argparse.Namespace) -> int:
    result = grant_application_role(resolve_database_url(args.db), args.role)
    print(
        f"Granted {result.role} what IsoTrack needs on {result.tables} tables and "
        f"{result.sequences} sequences owned by {result.owner}: it may add audit entries but "
        "never change or remove them. Point the workstations at the database as this role."
    )
    return 0
