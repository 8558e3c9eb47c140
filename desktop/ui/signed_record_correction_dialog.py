"""The shape every dialog that corrects or voids a signed record shares (issue 6, item 11):
what was signed, what the change does to it, a 'recorded in error' box that voids it with no
replacement, then the reason and the user's password. The signed record is never edited: it
is voided with the reason and, for a correction, the corrected values are signed again as a
new record that replaces it. Either way the password signs the change."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from typing import Generic, TypeVar

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.errors import AuthenticationFailed, IsoTrackError, ValidationFailed
from desktop.services.signatures import REASON_PROBLEM
from desktop.ui.field_problems import FieldProblems, chain_tab_order, new_form
from desktop.ui.widgets.date_input import DateInput
from desktop.ui.widgets.signing_password_input import PASSWORD_PROBLEM, signing_password_input

R = TypeVar("R")
CORRECT = "Save correction"
VOID_INPUT_TEXT = "Recorded in &error: void it, with no replacement"
BOX_OF_FIELD = {"void_reason": "reason"}
"""The voided row's column, as the services name a reason no database holds (a pasted NUL),
shown under the Reason box."""


@dataclass(frozen=True, slots=True)
class CorrectionWords:
    """What one kind of signed record's dialog says."""

    title: str
    void: str
    """The Save button's text once 'recorded in error' is ticked."""
    correct_note: str
    void_note: str
    reason_example: str


def date_problem(field: str, box: DateInput, empty: str) -> Problem | None:
    """An unreadable day as the box words it, `empty` when there is none, else None."""
    if problem := box.problem():
        return Problem(field, problem)
    return Problem(field, empty) if box.date_value() is None else None


class SignedRecordCorrectionDialog(QDialog, Generic[R]):
    """Subclasses add their rows with `row`, call `finish_layout`, and implement
    `correction_problem` (the first problem with the corrected values a service cannot see,
    such as an unreadable date; not asked when voiding) and `save` (the one service call,
    a void or a correction as `is_voiding` says). After a successful save `result_record`
    holds what `save` returned."""

    def __init__(
        self,
        ctx: Context,
        words: CorrectionWords,
        signed_words: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._words = words
        self.result_record: R | None = None
        self.setWindowTitle(words.title)
        self.signed_label = QLabel(signed_words)
        self.signed_label.setWordWrap(True)
        self.note_label = QLabel(words.correct_note)
        self.note_label.setObjectName("hint")
        self.note_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.void_input = QCheckBox(VOID_INPUT_TEXT)
        self.reason_input = QLineEdit()
        self.reason_input.setPlaceholderText(words.reason_example)
        self.password_input = signing_password_input(ctx.actor.display_name)
        self.form = new_form()
        self.form.addRow("", self.void_input)
        self._value_rows: Sequence[QWidget] = ()
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
        self.void_input.toggled.connect(self._on_void_input_toggled)

    def row(self, field: str, text: str, widget: QWidget) -> QWidget:
        """A labelled input (`text` carries the & mnemonic) with its problem label under it;
        returns the row's field box, for `setRowVisible`."""
        label = QLabel(text)
        label.setBuddy(widget)
        box = self.problems.wrap(field, widget)
        self.form.addRow(label, box)
        return box

    def finish_layout(
        self,
        value_rows: Sequence[QWidget],
        inputs: Sequence[QWidget],
        focus: QWidget,
        min_width: int,
        below_form: Sequence[QWidget] = (),
    ) -> None:
        """The reason and password rows after the subclass's; what was signed and the note
        above the form, `below_form` and the summary line under it. `value_rows` hide while
        voiding. Tab runs from the void box through `inputs` to the reason, the password,
        Save and Cancel."""
        self._value_rows = tuple(value_rows)
        self.row("reason", "Reaso&n", self.reason_input)
        self.row("password", "&Your password", self.password_input)
        layout = QVBoxLayout(self)
        layout.addWidget(self.signed_label)
        layout.addWidget(self.note_label)
        layout.addLayout(self.form)
        for widget in below_form:
            layout.addWidget(widget)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        chain_tab_order(
            self,
            (
                self.void_input,
                *inputs,
                self.reason_input,
                self.password_input,
                self.save_button,
                self.cancel_button,
            ),
        )
        self.setMinimumWidth(min_width)
        focus.setFocus()

    def correction_problem(self) -> Problem | None:
        raise NotImplementedError

    def save(self, reason: str, password: str) -> R:
        raise NotImplementedError

    def is_voiding(self) -> bool:
        return self.void_input.isChecked()

    def _on_void_input_toggled(self, voiding: bool) -> None:
        """Voiding keeps no values to correct: only the reason and the password."""
        for row in self._value_rows:
            self.form.setRowVisible(row, not voiding)
        self.save_button.setText(self._words.void if voiding else CORRECT)
        self.note_label.setText(self._words.void_note if voiding else self._words.correct_note)

    def _typed_problem(self) -> Problem | None:
        if not self.is_voiding() and (problem := self.correction_problem()):
            return problem
        if not self.reason_input.text().strip():
            return Problem("reason", REASON_PROBLEM)
        if not self.password_input.text():
            return Problem("password", PASSWORD_PROBLEM)
        return None

    def _on_save_button_clicked(self) -> None:
        if problem := self._typed_problem():
            self.problems.show([problem])
            return
        try:
            saved = self.save(self.reason_input.text(), self.password_input.text())
        except AuthenticationFailed as refused:
            self.problems.show([Problem("password", refused.user_message())])
            self.password_input.clear()
            return
        except ValidationFailed as refused:
            self.problems.show(
                replace(p, field=BOX_OF_FIELD.get(p.field, p.field)) for p in refused.problems
            )
            return
        except IsoTrackError as error:  # not allowed to sign it, or voided meanwhile elsewhere
            self.problems.show_message(error.user_message())
            return
        self.result_record = saved
        self.accept()
