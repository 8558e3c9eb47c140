"""An administrator sets a new password for a colleague who forgot theirs or is locked out."""

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.services.records import StaffRecord
from desktop.services.staff import reset_password
from desktop.ui.field_problems import FieldProblems
from desktop.ui.widgets.new_password_input import NewPasswordInput


class ResetPasswordDialog(QDialog):
    """On success `result_record` holds the account at its new version; a lockout ends."""

    def __init__(self, ctx: Context, staff: StaffRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._staff = staff
        self.result_record: StaffRecord | None = None
        self.setWindowTitle("Reset password")
        intro = QLabel(
            f"New password for {staff.display_name} ({staff.username}). Tell them in person; "
            "it also ends a lockout after failed sign-ins."
        )
        intro.setWordWrap(True)
        self.password_input = NewPasswordInput()
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText("Set password")
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        form = QFormLayout()
        label = QLabel("New &password")
        label.setBuddy(self.password_input.password_edit)
        form.addRow(label, self.problems.wrap("password", self.password_input))
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.setMinimumWidth(420)
        self.password_input.setFocus()

    @classmethod
    def ask(
        cls, ctx: Context, staff: StaffRecord, parent: QWidget | None = None
    ) -> StaffRecord | None:
        dialog = cls(ctx, staff, parent)
        dialog.exec()
        return dialog.result_record

    def _on_save_button_clicked(self) -> None:
        if mismatch := self.password_input.mismatch_problem():
            self.problems.show([Problem("password", mismatch)])
            return
        try:
            self.result_record = reset_password(
                self._ctx, self._staff.id, self._staff.version, self.password_input.password()
            )
        except ValidationFailed as refused:
            self.problems.show(refused.problems)
            return
        except IsoTrackError as error:  # a stale edit names who changed the account
            self.problems.show_message(error.user_message())
            return
        self.accept()
