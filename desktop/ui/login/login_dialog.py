"""Sign in to the clinic database, at start and to unlock a locked window."""

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.services.context import Clinic, Context
from desktop.services.errors import IsoTrackError
from desktop.services.staff import sign_in
from desktop.ui import messages
from desktop.ui.tasks import run_task


class LoginDialog(QDialog):
    """On success `result_context` holds the signed-in user's context. Checking a password
    is deliberately slow, so it runs off the GUI thread while the buttons are disabled."""

    def __init__(self, clinic: Clinic, parent: QWidget | None = None, username: str = "") -> None:
        super().__init__(parent)
        self._clinic = clinic
        self.result_context: Context | None = None
        self.setWindowTitle("IsoTrack — sign in")
        self.heading_label = QLabel("Sign in to IsoTrack" if not username else "Locked")
        self.heading_label.setObjectName("heading")
        self.hint_label = QLabel(
            "" if not username else "The window is locked. Sign in to go on, or switch user."
        )
        self.hint_label.setObjectName("hint")
        self.hint_label.setVisible(bool(username))
        self.username_input = QLineEdit(username)
        self.password_input = QLineEdit()
        self.password_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.sign_in_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.sign_in_button.setText("&Sign in")
        self.sign_in_button.setDefault(True)
        self.buttons.accepted.connect(self._on_sign_in_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        (self.password_input if username else self.username_input).setFocus()

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        user_label = QLabel("&Username")
        user_label.setBuddy(self.username_input)
        password_label = QLabel("&Password")
        password_label.setBuddy(self.password_input)
        form.addRow(user_label, self.username_input)
        form.addRow(password_label, self.password_input)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading_label)
        layout.addWidget(self.hint_label)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setTabOrder(self.username_input, self.password_input)
        self.setTabOrder(self.password_input, self.sign_in_button)
        self.setMinimumWidth(380)

    @classmethod
    def ask(
        cls, clinic: Clinic, parent: QWidget | None = None, username: str = ""
    ) -> Context | None:
        dialog = cls(clinic, parent, username)
        dialog.exec()
        return dialog.result_context

    def _on_sign_in_button_clicked(self) -> None:
        username, password = self.username_input.text().strip(), self.password_input.text()
        if not username or not password:
            self.error_label.setText("Type your username and password.")
            (self.username_input if not username else self.password_input).setFocus()
            return
        self.error_label.setText("Checking…")
        self._set_busy(True)
        clinic = self._clinic
        run_task(
            self,
            lambda: sign_in(clinic, username, password),
            self._on_sign_in_done,
            self._on_sign_in_failed,
        )

    def _set_busy(self, busy: bool) -> None:
        self.buttons.setEnabled(not busy)
        self.username_input.setReadOnly(busy)
        self.password_input.setReadOnly(busy)

    def _on_sign_in_done(self, ctx: Context) -> None:
        self._set_busy(False)
        self.error_label.clear()
        self.result_context = ctx
        self.accept()

    def _on_sign_in_failed(self, error: Exception) -> None:
        self._set_busy(False)
        self.password_input.clear()
        self.password_input.setFocus(Qt.FocusReason.OtherFocusReason)
        if isinstance(error, IsoTrackError):
            self.error_label.setText(error.user_message())
        else:
            self.error_label.setText(messages.describe(error))
