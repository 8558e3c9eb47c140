"""Correct the day of a prescriber's signed counselling confirmation, or void one recorded in
error (issue 6, item 11; domain.md §1.4). The signed confirmation is never edited: it is
voided with the reason typed here and, for a correction, the corrected day is signed again as
a new confirmation that replaces it. Either way the prescriber's password signs the change."""

from itertools import pairwise
from zoneinfo import ZoneInfo

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.errors import AuthenticationFailed, IsoTrackError, ValidationFailed
from desktop.services.ipledge_steps import (
    correct_counseling_confirmation,
    void_counseling_confirmation,
)
from desktop.services.records import CounselingConfirmationRecord
from desktop.services.signatures import (
    COUNSELING_MEANING,
    REASON_MAX_CHARS,
    REASON_PROBLEM,
    VOID_MEANING,
)
from desktop.ui.consents.consent_sign_dialog import PASSWORD_PROBLEM
from desktop.ui.field_problems import FieldProblems
from desktop.ui.widgets.date_input import DateInput

CORRECT = "Save correction"
VOID = "Void confirmation"
CORRECT_NOTE = (
    "The confirmation on record stays on file, struck through with your reason; the day "
    "below is signed again as a new confirmation that replaces it."
)
VOID_NOTE = (
    "The confirmation stays on file, struck through with your reason, and no longer counts: "
    "the month's counselling step is due again unless another confirmation stands."
)
CONFIRMED_PROBLEM = "Enter the day you confirmed the counselling in iPLEDGE (not in the future)."


def signed_words(record: CounselingConfirmationRecord, time_zone: ZoneInfo) -> str:
    """ "Counselling confirmed in iPLEDGE on 2026-11-19, signed by Dr Priya Park at
    2026-11-20 10:30"."""
    signed_at = record.recorded_at.astimezone(time_zone)
    return (
        f"Counselling confirmed in iPLEDGE on {record.confirmed_on.isoformat()}, signed by "
        f"{record.prescriber_name} at {signed_at:%Y-%m-%d %H:%M}"
    )


def meaning_words(voiding: bool) -> str:
    """What the password signs, shown before it is typed."""
    return f"Your signature means: {VOID_MEANING if voiding else COUNSELING_MEANING}"


class CounselingCorrectionDialog(QDialog):
    """On a successful save `result_record` holds the new confirmation's id (a correction)
    or the voided confirmation's (a void)."""

    def __init__(
        self, ctx: Context, signed: CounselingConfirmationRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._signed = signed
        self.result_record: int | None = None
        self.setWindowTitle("Correct counselling confirmation")
        self.signed_label = QLabel(signed_words(signed, ctx.time_zone))
        self.signed_label.setWordWrap(True)
        self.note_label = QLabel(CORRECT_NOTE)
        self.note_label.setObjectName("hint")
        self.note_label.setWordWrap(True)
        self.meaning_label = QLabel(meaning_words(False))
        self.meaning_label.setObjectName("hint")
        self.meaning_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self._make_inputs()
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText(CORRECT)
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Cancel")
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self._lay_out()
        self.void_input.toggled.connect(self._on_void_input_toggled)

    def _make_inputs(self) -> None:
        self.void_input = QCheckBox("Recorded in &error: void it, with no replacement")
        self.confirmed_input = DateInput()
        self.confirmed_input.set_date(self._signed.confirmed_on)
        self.reason_input = QLineEdit()
        self.reason_input.setMaxLength(REASON_MAX_CHARS)
        self.reason_input.setPlaceholderText("e.g. counselled on 18 Nov, confirmed a day late")
        self.password_input = QLineEdit()
        self.password_input.setEchoMode(QLineEdit.EchoMode.Password)
        self.password_input.setPlaceholderText(f"Password of {self._ctx.actor.display_name}")

    def _row(self, form: QFormLayout, field: str, text: str, widget: QWidget) -> QWidget:
        label = QLabel(text)
        label.setBuddy(widget)
        box = self.problems.wrap(field, widget)
        form.addRow(label, box)
        return box

    def _lay_out(self) -> None:
        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self._form_layout = form
        form.addRow("", self.void_input)
        self._confirmed_row = self._row(
            form, "confirmed_on", "&Confirmed in iPLEDGE on", self.confirmed_input
        )
        self._row(form, "reason", "Reaso&n", self.reason_input)
        self._row(form, "password", "&Your password", self.password_input)
        layout = QVBoxLayout(self)
        layout.addWidget(self.signed_label)
        layout.addWidget(self.note_label)
        layout.addLayout(form)
        layout.addWidget(self.meaning_label)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain = (
            self.void_input, self.confirmed_input, self.reason_input, self.password_input,
            self.save_button, self.cancel_button,
        )  # fmt: skip
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.setMinimumWidth(520)
        self.confirmed_input.setFocus()

    @classmethod
    def ask(
        cls, ctx: Context, signed: CounselingConfirmationRecord, parent: QWidget | None = None
    ) -> int | None:
        dialog = cls(ctx, signed, parent)
        dialog.exec()
        return dialog.result_record

    def _is_voiding(self) -> bool:
        return self.void_input.isChecked()

    def _on_void_input_toggled(self, voiding: bool) -> None:
        """Voiding keeps no day to correct: only the reason and the password."""
        self._form_layout.setRowVisible(self._confirmed_row, not voiding)
        self.save_button.setText(VOID if voiding else CORRECT)
        self.note_label.setText(VOID_NOTE if voiding else CORRECT_NOTE)
        self.meaning_label.setText(meaning_words(voiding))

    def _typed_problem(self) -> Problem | None:
        if not self._is_voiding():
            if problem := self.confirmed_input.problem():
                return Problem("confirmed_on", problem)
            if self.confirmed_input.date_value() is None:
                return Problem("confirmed_on", CONFIRMED_PROBLEM)
        if not self.reason_input.text().strip():
            return Problem("reason", REASON_PROBLEM)
        if not self.password_input.text():
            return Problem("password", PASSWORD_PROBLEM)
        return None

    def _save(self, reason: str, password: str) -> int:
        signed = self._signed
        if self._is_voiding():
            voided = void_counseling_confirmation(self._ctx, signed.id, reason, password)
            return voided.id
        confirmed_on = self.confirmed_input.date_value()
        assert confirmed_on is not None  # _typed_problem refused an empty or unreadable day
        return correct_counseling_confirmation(
            self._ctx, signed.id, signed.course_id, confirmed_on, reason, password
        )

    def _on_save_button_clicked(self) -> None:
        if problem := self._typed_problem():
            self.problems.show([problem])
            return
        try:
            saved = self._save(self.reason_input.text(), self.password_input.text())
        except AuthenticationFailed as refused:
            self.problems.show([Problem("password", refused.user_message())])
            self.password_input.clear()
            return
        except ValidationFailed as refused:
            self.problems.show(refused.problems)
            return
        except IsoTrackError as error:  # not a prescriber, not the signer, voided meanwhile
            self.problems.show_message(error.user_message())
            return
        self.result_record = saved
        self.accept()
