"""Encryption at rest for a SQLite clinic file (SQLCipher), its key kept in the OS keyring.

The key is 32 random bytes, stored as hex under the service "IsoTrack" and the file's absolute
path. It is handed to SQLCipher as a raw key (`x'…'`), so no passphrase derivation runs on
each connection. A file is treated as encrypted when it does not start with SQLite's header:
every page of a SQLCipher file, the first included, is ciphertext.
"""

import os
import secrets
import sqlite3
import string
from contextlib import suppress
from pathlib import Path
from typing import Any

import keyring
import sqlcipher3
from keyring.errors import KeyringError
from sqlalchemy import URL, Engine, make_url

KEYRING_SERVICE = "IsoTrack"
ENCRYPTED_DRIVER = "sqlite+pysqlcipher"
PLAIN_SQLITE_HEADER = b"SQLite format 3\x00"
_KEY_HEX_DIGITS = 64


class DatabaseKeyError(RuntimeError):
    """The encrypted clinic file cannot be opened with what this computer's keyring holds.
    The message names the file (never its content) and what to do."""


def _keyring_name(path: Path) -> str:
    return str(path.resolve())


def stored_key(path: Path) -> str | None:
    """The key this computer's keyring holds for the database file, or None."""
    try:
        return keyring.get_password(KEYRING_SERVICE, _keyring_name(path))
    except KeyringError as error:
        raise DatabaseKeyError(
            f"This computer's keyring could not be read ({type(error).__name__}), so the "
            f"encrypted clinic database {path} cannot be opened. Sign in to the desktop "
            "session that holds the keyring and try again."
        ) from None


def store_key(path: Path, key: str) -> None:
    keyring.set_password(KEYRING_SERVICE, _keyring_name(path), key)


def forget_key(path: Path) -> None:
    with suppress(KeyringError):  # nothing stored: nothing to forget
        keyring.delete_password(KEYRING_SERVICE, _keyring_name(path))


def new_key() -> str:
    return secrets.token_hex(_KEY_HEX_DIGITS // 2)


def is_encrypted_file(path: Path) -> bool:
    """True when the file exists, is not empty and does not start with SQLite's header (an
    empty or missing file is a database SQLite has yet to write)."""
    try:
        with path.open("rb") as handle:
            header = handle.read(len(PLAIN_SQLITE_HEADER))
    except FileNotFoundError:
        return False
    return bool(header) and header != PLAIN_SQLITE_HEADER


def _raw_key(key: str) -> str:
    if len(key) != _KEY_HEX_DIGITS or any(c not in string.hexdigits for c in key):
        raise DatabaseKeyError(
            "The key in this computer's keyring for the clinic database is not an IsoTrack "
            "database key (64 hexadecimal digits). Put the key you kept safe back into the "
            "keyring (README, Encryption at rest)."
        )
    return f"x'{key}'"


def missing_key(path: Path) -> DatabaseKeyError:
    return DatabaseKeyError(
        f"The clinic database {path} is encrypted (or is not a SQLite database at all), and "
        "this computer's keyring holds no key for it. Put the key you kept safe into the "
        f'keyring under the service "{KEYRING_SERVICE}" and this file\'s full path (README, '
        "Encryption at rest), then start IsoTrack again. Nothing was opened."
    )


def rejected_key(path: Path) -> DatabaseKeyError:
    return DatabaseKeyError(
        f"The clinic database {path} is encrypted and the key in this computer's keyring does "
        "not open it. Put the key you kept safe for this file into the keyring (README, "
        "Encryption at rest), or open the right file. Nothing was opened."
    )


def keyed_url(url: URL, key: str | None = None) -> URL:
    """The URL to open: an encrypted file (or a `sqlite+pysqlcipher` URL) gets SQLCipher and
    its key, `key` or else the keyring's; a plain file is left as it is."""
    if url.get_backend_name() != "sqlite" or url.database in (None, "", ":memory:"):
        return url
    path = Path(url.database)
    if url.drivername != ENCRYPTED_DRIVER and not is_encrypted_file(path):
        return url
    if url.password is not None:
        raise DatabaseKeyError(
            "IsoTrack takes the clinic database's key from this computer's keyring, never "
            "from the database URL: remove it from the URL."
        )
    key = key or stored_key(path)
    if key is None:
        raise missing_key(path)
    return url.set(drivername=ENCRYPTED_DRIVER, password=_raw_key(key))


def driver_url(key: str | None) -> URL:
    """The URL for an engine whose `creator` hands it `connect(…, key)` connections: it names
    the driver whose errors SQLAlchemy should wrap, and sets the same key again (harmless)."""
    if key is None:
        return make_url("sqlite://")
    return make_url(f"{ENCRYPTED_DRIVER}://").set(password=_raw_key(key))


def key_of(engine: Engine) -> str | None:
    """The key an engine opens its file with; None for a plain database."""
    password = engine.url.password
    if engine.url.drivername != ENCRYPTED_DRIVER or password is None:
        return None
    return password.removeprefix("x'").removesuffix("'")


def is_wrong_key(error: BaseException) -> bool:
    """SQLCipher's answer to a key that does not decrypt the first page."""
    return isinstance(error, sqlcipher3.DatabaseError) and "file is not a database" in str(error)


def quiet_sqlcipher(connection: Any) -> None:
    """SQLCipher writes its own error log (a failed HMAC check, for a wrong key) to stderr,
    under the message IsoTrack shows; the log level is the library's, for the process."""
    connection.execute("PRAGMA cipher_log_level = NONE")


SqlCipherOperationalError = sqlcipher3.OperationalError
SqlCipherDatabaseError = sqlcipher3.DatabaseError


def connect_for_export(database: Path, **kwargs: Any) -> Any:
    """A SQLCipher connection to a plain file (no key: it reads plaintext), which can attach
    an encrypted file and run `sqlcipher_export` into it."""
    connection = sqlcipher3.connect(str(database), **kwargs)
    quiet_sqlcipher(connection)
    return connection


def held_open_elsewhere(database: Path) -> bool:
    """Whether another process has the WAL database open: each connection holds a shared
    lock on byte 128 of the -shm file while open (SQLite's "dead man switch"). POSIX locks
    belong to the process, so this process's own connections do not count; call it with
    none of them open, as closing the probe drops this process's locks on that file."""
    try:
        import fcntl
    except ImportError:  # Windows: replacing a file another process has open fails instead
        return False
    shm = database.with_name(database.name + "-shm")
    try:
        descriptor = os.open(shm, os.O_RDWR)
    except FileNotFoundError:
        return False
    try:
        fcntl.lockf(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB, 1, 128)
    except OSError:
        return True
    finally:
        os.close(descriptor)
    return False


def connect(database: str | Path, key: str | None, **kwargs: Any) -> Any:
    """A DB-API connection to a file (or SQLite URI with `uri=True`): the standard sqlite3
    one for a plain database, SQLCipher's with the key set first for an encrypted one."""
    if key is None:
        return sqlite3.connect(database, **kwargs)
    connection = sqlcipher3.connect(str(database), **kwargs)
    quiet_sqlcipher(connection)
    connection.execute(f'PRAGMA key = "{_raw_key(key)}"')
    return connection


def attach_encrypted(connection: Any, path: Path, key: str, schema: str) -> None:
    """Attach a (new) encrypted file to a SQLCipher connection under `schema`."""
    connection.execute(f"ATTACH DATABASE ? AS {schema} KEY ?", (str(path), _raw_key(key)))
