"""Record or edit one of the patient's other medications, or stop it (never deleted: the
chart keeps what the patient took). Enter saves, Esc cancels; problems show beside fields."""

from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QLineEdit, QVBoxLayout, QWidget

from desktop.rules.medications import MedicationDraft
from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.services.medications import (
    MedicationRecord,
    add_medication,
    stop_medication,
    update_medication,
)
from desktop.ui.field_problems import FieldProblems, chain_tab_order, new_form
from desktop.ui.widgets.date_input import DateInput

NAME_HINT = "Brand or generic, as on the label: checked for interactions with isotretinoin."
STOP_HINT = "The entry stays on the chart as stopped; its interaction warnings end."


def _dialog_parts(dialog: QDialog, save_text: str) -> tuple[QLabel, QDialogButtonBox]:
    error_label = QLabel()
    error_label.setObjectName("error")
    error_label.setWordWrap(True)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
    )
    save_button = buttons.button(QDialogButtonBox.StandardButton.Save)
    save_button.setText(save_text)
    save_button.setDefault(True)
    buttons.rejected.connect(dialog.reject)
    return error_label, buttons


class MedicationDialog(QDialog):
    """Adds a medication for `patient_id`, or edits `existing` at the version shown (a
    stale entry is refused naming who changed it). `result_record` holds what was saved."""

    def __init__(
        self,
        ctx: Context,
        patient_id: int,
        parent: QWidget | None = None,
        *,
        existing: MedicationRecord | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._patient_id = patient_id
        self._existing = existing
        self.result_record: MedicationRecord | None = None
        self.setWindowTitle("Add medication" if existing is None else "Edit medication")
        self.error_label, self.buttons = _dialog_parts(self, "Save")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.problems = FieldProblems(self.error_label)
        self.name_input = QLineEdit()
        self.name_input.setPlaceholderText("e.g. Doxycycline, Vitamin A, Camila")
        self.dose_input = QLineEdit()
        self.dose_input.setPlaceholderText("e.g. 100 mg twice daily")
        self.started_on_input = DateInput()
        if existing is not None:
            self.name_input.setText(existing.name)
            self.dose_input.setText(existing.dose)
            self.started_on_input.set_date(existing.started_on)
        self.buttons.accepted.connect(self._on_save_button_clicked)
        form = new_form()
        self.problems.add_rows(
            form,
            (
                ("&Name", "name", self.name_input),
                ("&Dose and notes", "dose", self.dose_input),
                ("&Started on", "started_on", self.started_on_input),
            ),
        )
        hint = QLabel(NAME_HINT)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain = (self.name_input, self.dose_input, self.started_on_input, self.save_button)
        chain_tab_order(self, chain)
        self.setMinimumWidth(460)
        self.name_input.setFocus()

    @classmethod
    def ask(
        cls,
        ctx: Context,
        patient_id: int,
        parent: QWidget | None = None,
        *,
        existing: MedicationRecord | None = None,
    ) -> MedicationRecord | None:
        dialog = cls(ctx, patient_id, parent, existing=existing)
        dialog.exec()
        return dialog.result_record

    def _on_save_button_clicked(self) -> None:
        if message := self.started_on_input.problem():
            self.problems.show((Problem("started_on", message),))
            return
        draft = MedicationDraft(
            self.name_input.text(), self.dose_input.text(), self.started_on_input.date_value()
        )
        existing = self._existing
        try:
            if existing is None:
                saved = add_medication(self._ctx, self._patient_id, draft)
            else:
                saved = update_medication(self._ctx, existing.id, existing.version, draft)
        except ValidationFailed as refused:
            self.problems.show(refused.problems)
            return
        except IsoTrackError as error:
            self.problems.show_message(error.user_message())
            return
        self.result_record = saved
        self.accept()


class StopMedicationDialog(QDialog):
    """Stops `medication` on a day (today unless changed) for a reason."""

    def __init__(
        self, ctx: Context, medication: MedicationRecord, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._medication = medication
        self.result_record: MedicationRecord | None = None
        self.setWindowTitle(f"Stop {medication.name}")
        self.error_label, self.buttons = _dialog_parts(self, "Stop medication")
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.problems = FieldProblems(self.error_label)
        self.stopped_on_input = DateInput()
        self.stopped_on_input.set_date(ctx.today())
        self.reason_input = QLineEdit()
        self.reason_input.setPlaceholderText("e.g. prescriber stopped it: interaction")
        self.buttons.accepted.connect(self._on_save_button_clicked)
        form = new_form()
        self.problems.add_rows(
            form,
            (
                ("Stopped &on", "stopped_on", self.stopped_on_input),
                ("&Reason", "stop_reason", self.reason_input),
            ),
        )
        hint = QLabel(STOP_HINT)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain_tab_order(self, (self.stopped_on_input, self.reason_input, self.save_button))
        self.setMinimumWidth(460)
        self.reason_input.setFocus()

    @classmethod
    def ask(
        cls, ctx: Context, medication: MedicationRecord, parent: QWidget | None = None
    ) -> MedicationRecord | None:
        dialog = cls(ctx, medication, parent)
        dialog.exec()
        return dialog.result_record

    def _on_save_button_clicked(self) -> None:
        if message := self.stopped_on_input.problem():
            self.problems.show((Problem("stopped_on", message),))
            return
        medication = self._medication
        try:
            saved = stop_medication(
                self._ctx,
                medication.id,
                medication.version,
                self.stopped_on_input.date_value(),
                self.reason_input.text(),
            )
        except ValidationFailed as refused:
            self.problems.show(refused.problems)
            return
        except IsoTrackError as error:
            self.problems.show_message(error.user_message())
            return
        self.result_record = saved
        self.accept()
