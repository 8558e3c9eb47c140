"""The box a signer types their own password into again to sign a record (issue 6, item 11).
Its placeholder names whose password it wants: at a workstation left signed in, a colleague
sees that the signature would be someone else's."""

from PySide6.QtWidgets import QLineEdit

PASSWORD_PROBLEM = "Type your own password to sign this record."


def signing_password_input(signer_name: str) -> QLineEdit:
    """A hidden-text box; label it "&Your password" and check it with PASSWORD_PROBLEM."""
    box = QLineEdit()
    box.setEchoMode(QLineEdit.EchoMode.Password)
    box.setPlaceholderText(f"Password of {signer_name}")
    return box
