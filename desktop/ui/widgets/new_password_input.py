"""A new password typed twice, with the length rule shown before anyone gets it wrong."""

from PySide6.QtWidgets import QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.services.passwords import MIN_PASSWORD_LENGTH

MISMATCH_PROBLEM = "The two passwords differ: type the same password twice."


class NewPasswordInput(QWidget):
    """Two hidden-text boxes and the rule. Use `password_edit` as the form label's buddy."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.password_edit = QLineEdit()
        self.password_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_edit.setPlaceholderText("New password")
        self.confirm_edit = QLineEdit()
        self.confirm_edit.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm_edit.setPlaceholderText("Type it again")
        self.rule_label = QLabel(f"At least {MIN_PASSWORD_LENGTH} characters.")
        self.rule_label.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.password_edit)
        layout.addWidget(self.confirm_edit)
        layout.addWidget(self.rule_label)
        self.setFocusProxy(self.password_edit)
        self.setTabOrder(self.password_edit, self.confirm_edit)

    def password(self) -> str:
        return self.password_edit.text()

    def mismatch_problem(self) -> str | None:
        """Checked in the dialog before the service's own password rule."""
        if self.password_edit.text() != self.confirm_edit.text():
            return MISMATCH_PROBLEM
        return None

    def clear(self) -> None:
        self.password_edit.clear()
        self.confirm_edit.clear()
