"""Add a staff account: username, full name, role and a first password."""

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.services.records import StaffRecord
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft, add_staff
from desktop.ui.field_problems import FieldProblems, chain_tab_order, new_form
from desktop.ui.staff.staff_table_model import ROLE_LABELS
from desktop.ui.widgets.new_password_input import NewPasswordInput


class StaffDialog(QDialog):
    """On success `result_record` holds the new account. The person changes nothing about
    their password later in this version: an administrator resets it for them."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.result_record: StaffRecord | None = None
        self.setWindowTitle("Add staff")
        self.username_input = QLineEdit()
        self.username_input.setPlaceholderText("lower case, e.g. jlee")
        self.display_name_input = QLineEdit()
        self.role_input = QComboBox()
        for role in (Role.NURSE, Role.PRESCRIBER, Role.ADMIN):
            self.role_input.addItem(ROLE_LABELS[role], role.value)
        self.password_input = NewPasswordInput()
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.save_button.setText("Add")
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()

    def _lay_out(self) -> None:
        form = new_form()
        self.problems.add_rows(
            form,
            (
                ("&Username", "username", self.username_input),
                ("&Full name", "display_name", self.display_name_input),
                ("&Role", "role", self.role_input),
                ("&Password", "password", self.password_input),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain_tab_order(
            self,
            (
                self.username_input,
                self.display_name_input,
                self.role_input,
                self.password_input.password_edit,
                self.password_input.confirm_edit,
                self.save_button,
            ),
        )
        self.setMinimumWidth(440)
        self.username_input.setFocus()

    @classmethod
    def ask(cls, ctx: Context, parent: QWidget | None = None) -> StaffRecord | None:
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.result_record

    def _on_save_button_clicked(self) -> None:
        if mismatch := self.password_input.mismatch_problem():
            self.problems.show([Problem("password", mismatch)])
            return
        draft = StaffDraft(
            self.username_input.text().strip(),
            self.display_name_input.text(),
            Role(self.role_input.currentData()),
            self.password_input.password(),
        )
        try:
            self.result_record = add_staff(self._ctx, draft)
        except ValidationFailed as refused:
            self.problems.show(refused.problems)
            return
        except IsoTrackError as error:
            self.problems.show_message(error.user_message())
            return
        self.accept()
