"""`isotrack user add NAME --role nurse|prescriber|admin`: create a staff account."""

import argparse
import os
import sys
from getpass import getpass

from desktop.cli.session import PASSWORD_VARIABLE, open_from_args, read_secret, signed_in
from desktop.services.clinic_setup import SetupDraft, create_first_admin, needs_setup
from desktop.services.errors import InputError
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft, add_staff

NEW_PASSWORD_VARIABLE = "ISOTRACK_NEW_PASSWORD"


def register(subparsers: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    parser = subparsers.add_parser("user", help="staff accounts")
    actions = parser.add_subparsers(dest="user_action", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add a staff account",
        description=(
            "Add a staff account. Its password comes from ISOTRACK_NEW_PASSWORD or a prompt. "
            "On an empty database this creates the clinic's first administrator, and needs "
            "--clinic-name; afterwards an administrator must act (--user)."
        ),
    )
    add.add_argument("name", metavar="NAME", help="username (lower case)")
    add.add_argument("--role", required=True, choices=[r.value for r in Role])
    add.add_argument("--display-name", help="full name shown in the app (default: NAME)")
    add.add_argument("--clinic-name", help="clinic name, for the first administrator only")
    add.add_argument("--user", metavar="NAME", help=f"acting administrator ({PASSWORD_VARIABLE})")
    add.set_defaults(handler=_add)


def _new_password() -> str:
    first = read_secret(NEW_PASSWORD_VARIABLE, "New account's password: ")
    repeated = first if NEW_PASSWORD_VARIABLE in os.environ else getpass("Repeat the password: ")
    if repeated != first:
        raise InputError("The two passwords differ; nothing was saved.")
    return first


def _add(args: argparse.Namespace) -> int:
    draft = StaffDraft(args.name, args.display_name or args.name, Role(args.role), "")
    clinic = open_from_args(args)
    try:
        first = needs_setup(clinic)
    finally:
        clinic.close()
    if first:
        if not args.clinic_name:
            raise InputError(
                "This database has no staff yet: give --clinic-name for the first admin."
            )
        draft = StaffDraft(draft.username, draft.display_name, Role.ADMIN, _new_password())
        ctx = create_first_admin(open_from_args(args), SetupDraft(args.clinic_name, draft))
        print(f"Created the first administrator {ctx.actor.username!r} for {args.clinic_name}.")
        ctx.clinic.close()
        return 0
    if not args.user:
        raise InputError("Give --user: an administrator must add staff accounts.")
    ctx = signed_in(args)
    try:
        draft = StaffDraft(draft.username, draft.display_name, draft.role, _new_password())
        record = add_staff(ctx, draft)
    finally:
        ctx.clinic.close()
    print(f"Added {record.role} {record.username!r} ({record.display_name}).", file=sys.stdout)
    return 0
