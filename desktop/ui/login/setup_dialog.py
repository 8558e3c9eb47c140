"""First start: name the clinic, choose its time zone and create the first administrator."""

from zoneinfo import available_timezones

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
from desktop.services.clinic_setup import SetupDraft, create_first_admin
from desktop.services.context import DEFAULT_TIME_ZONE, Clinic, Context
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft
from desktop.ui.field_problems import FieldProblems, chain_tab_order, new_form
from desktop.ui.widgets.new_password_input import NewPasswordInput

COMMON_TIME_ZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Phoenix",
    "America/Los_Angeles",
    "America/Anchorage",
    "Pacific/Honolulu",
    "America/Puerto_Rico",
)
"""US zones first: iPLEDGE is a US programme, so most clinics are in one of these."""


class SetupDialog(QDialog):
    """On success `result_context` holds the new administrator, already signed in."""

    def __init__(self, clinic: Clinic, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._clinic = clinic
        self.result_context: Context | None = None
        self.setWindowTitle("IsoTrack — first start")
        self.clinic_name_input = QLineEdit()
        self.time_zone_input = QComboBox()
        self._fill_time_zones()
        self.username_input = QLineEdit()
        self.username_input.setPlaceholderText("e.g. jlee")
        self.display_name_input = QLineEdit()
        self.password_input = NewPasswordInput()
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.create_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.create_button.setText("&Create clinic")
        self.buttons.accepted.connect(self._on_create_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()

    def _fill_time_zones(self) -> None:
        self.time_zone_input.addItems(COMMON_TIME_ZONES)
        self.time_zone_input.insertSeparator(len(COMMON_TIME_ZONES))
        others = sorted(available_timezones() - set(COMMON_TIME_ZONES))
        self.time_zone_input.addItems([z for z in others if "/" in z])
        self.time_zone_input.setCurrentText(DEFAULT_TIME_ZONE)

    def _lay_out(self) -> None:
        intro = QLabel(
            "This clinic database is new. Name the clinic and create the first "
            "administrator account; you can add nurses and prescribers afterwards."
        )
        intro.setWordWrap(True)
        form = new_form()
        self.problems.add_rows(
            form,
            (
                ("Clinic &name", "clinic_name", self.clinic_name_input),
                ("&Time zone", "time_zone", self.time_zone_input),
                ("Administrator &username", "username", self.username_input),
                ("&Full name", "display_name", self.display_name_input),
                ("&Password", "password", self.password_input),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain_tab_order(
            self,
            (
                self.clinic_name_input,
                self.time_zone_input,
                self.username_input,
                self.display_name_input,
                self.password_input.password_edit,
                self.password_input.confirm_edit,
                self.create_button,
            ),
        )
        self.setMinimumWidth(480)
        self.clinic_name_input.setFocus()

    @classmethod
    def ask(cls, clinic: Clinic, parent: QWidget | None = None) -> Context | None:
        dialog = cls(clinic, parent)
        dialog.exec()
        return dialog.result_context

    def _draft(self) -> SetupDraft:
        admin = StaffDraft(
            self.username_input.text().strip(),
            self.display_name_input.text(),
            Role.ADMIN,
            self.password_input.password(),
        )
        return SetupDraft(self.clinic_name_input.text(), admin, self.time_zone_input.currentText())

    def _on_create_button_clicked(self) -> None:
        if mismatch := self.password_input.mismatch_problem():
            self.problems.show([Problem("password", mismatch)])
            return
        try:
            self.result_context = create_first_admin(self._clinic, self._draft())
        except ValidationFailed as refused:
            self.problems.show(refused.problems)
            return
        except IsoTrackError as error:
            self.problems.show_message(error.user_message())
            return
        self.accept()
