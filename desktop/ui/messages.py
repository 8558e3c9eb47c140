"""The one place that opens QMessageBox, so tests can replace every modal question here."""

import logging
import secrets
import traceback

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox, QWidget

from desktop.services.errors import IsoTrackError

_log = logging.getLogger(__name__)


def reference_code() -> str:
    """A short code a nurse can read out to support, tying the dialog to the log line."""
    return f"E-{secrets.token_hex(3).upper()}"


def describe(error: BaseException) -> str:
    """The text a user sees for `error`. Errors we raise on purpose carry a message written
    for nurses; anything else may quote patient data (a database error echoes the values it
    was given), so it is logged by class and stack only and shown as a reference code."""
    if isinstance(error, IsoTrackError):
        return error.user_message()
    code = reference_code()
    stack = "".join(traceback.format_tb(error.__traceback__))
    _log.error("Unexpected %s, reference %s\n%s", type(error).__name__, code, stack)
    return (
        "IsoTrack could not finish this action because of an unexpected problem. "
        f"Try again; if it happens again, tell your administrator the reference {code}."
    )


def show_error(parent: QWidget | None, error: BaseException) -> None:
    QMessageBox.warning(parent, "IsoTrack", describe(error))


def show_warning(parent: QWidget | None, text: str) -> None:
    """A sentence the user must read and act on (not an error: nothing failed)."""
    QMessageBox.warning(parent, "IsoTrack", text)


def confirm(parent: QWidget | None, question: str) -> bool:
    """Ask a yes/no question; No is the default answer, so Enter never does harm."""
    answer = QMessageBox.question(
        parent,
        "IsoTrack",
        question,
        QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
        QMessageBox.StandardButton.No,
    )
    return answer == QMessageBox.StandardButton.Yes


def ask_password(parent: QWidget | None, question: str) -> str | None:
    """Ask the signed-in user to type their password again to sign something; None if they
    cancel. The text is never echoed."""
    password, accepted = QInputDialog.getText(
        parent, "IsoTrack: sign", question, QLineEdit.EchoMode.Password
    )
    return password if accepted else None
