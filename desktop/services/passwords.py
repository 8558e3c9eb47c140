"""Password hashing with argon2id, and the clinic's password policy."""

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from desktop.rules.problems import Problem

MIN_PASSWORD_LENGTH = 10
MAX_PASSWORD_LENGTH = 1024

_hasher = PasswordHasher()  # argon2id with the library's current recommended costs


def check_password_policy(password: str, field: str = "password") -> tuple[Problem, ...]:
    if len(password) < MIN_PASSWORD_LENGTH:
        return (Problem(field, f"Use at least {MIN_PASSWORD_LENGTH} characters."),)
    if len(password) > MAX_PASSWORD_LENGTH:
        return (Problem(field, f"Use at most {MAX_PASSWORD_LENGTH} characters."),)
    if not password.strip():
        return (Problem(field, "The password cannot be only spaces."),)
    return ()


def hash_password(password: str) -> str:
    return str(_hasher.hash(password))


def password_matches(password_hash: str, password: str) -> bool:
    try:
        return bool(_hasher.verify(password_hash, password))
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def use_hasher(hasher: PasswordHasher) -> None:
    """Swap the hasher (tests use cheap parameters; production keeps the default)."""
    global _hasher
    _hasher = hasher
