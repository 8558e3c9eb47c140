"""How a command opens the clinic and acts as a named staff user (DESIGN.md, public CLI)."""

import argparse
import getpass
import os

from desktop.services.context import Clinic, Context, open_clinic, resolve_database_url
from desktop.services.errors import InputError
from desktop.services.staff import sign_in

PASSWORD_VARIABLE = "ISOTRACK_PASSWORD"


def add_user_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--user",
        required=True,
        metavar="NAME",
        help=f"act as this staff user (password from {PASSWORD_VARIABLE} or a prompt)",
    )


def open_from_args(args: argparse.Namespace) -> Clinic:
    return open_clinic(resolve_database_url(args.db))


def read_secret(variable: str, prompt: str) -> str:
    """From the environment (scripts) or a prompt that does not echo (people)."""
    value = os.environ.get(variable)
    if value is not None:
        return value
    try:
        return getpass.getpass(prompt)
    except EOFError:
        raise InputError(f"No password was given: set {variable} or run in a terminal.") from None


def signed_in(args: argparse.Namespace) -> Context:
    """Open the clinic and sign in as --user; the write is then audited under that name."""
    clinic = open_from_args(args)
    try:
        return sign_in(
            clinic, args.user, read_secret(PASSWORD_VARIABLE, f"Password for {args.user}: ")
        )
    except BaseException:
        clinic.close()
        raise
