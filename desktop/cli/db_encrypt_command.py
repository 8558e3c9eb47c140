"""`isotrack db encrypt --user ADMIN`: encrypt the clinic's SQLite file, key in the keyring."""

import argparse

from desktop.cli.session import add_user_option, signed_in
from desktop.services.encryption import KEYRING_SERVICE, encrypt_clinic_database


def add_encrypt_action(actions: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    encrypt = actions.add_parser(
        "encrypt",
        help="encrypt the SQLite clinic file; its key goes into this computer's keyring",
        description="Copy the clinic file into an encrypted one (SQLCipher), verify the copy "
        "(integrity, audit chain, row counts), store a new random key in this computer's "
        "keyring, then replace the plain file. Close IsoTrack on this computer first. "
        "Administrators only.",
    )
    add_user_option(encrypt)
    encrypt.set_defaults(handler=_encrypt)


def _encrypt(args: argparse.Namespace) -> int:
    ctx = signed_in(args)
    try:
        result = encrypt_clinic_database(ctx)
    finally:
        ctx.clinic.close()
    print(
        f"Encrypted {result.database} ({result.tables} tables, {result.rows} rows and "
        f"{result.audit_entries} audit entries verified)."
    )
    print(
        f"Its key is in this computer's keyring under \"{KEYRING_SERVICE}\" and the file's "
        "full path. Keep a copy of the key somewhere safe: without it neither the file nor "
        "its backups can be opened (README, Encryption at rest)."
    )
    return 0
