"""The shape every iPLEDGE step dialog shares: a form whose problems show beside the fields,
Enter saves, Esc cancels, and a refused save keeps everything typed."""

from collections.abc import Sequence
from enum import StrEnum
from itertools import pairwise
from typing import Generic, TypeVar

from PySide6.QtWidgets import (
    QComboBox,
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
from desktop.ui.field_problems import FieldProblems

E = TypeVar("E", bound=StrEnum)
T = TypeVar("T")
R = TypeVar("R")
CHOOSE = "Choose…"


def chosen(combo: QComboBox, kind: type[E]) -> E | None:
    """The enum member behind the current item (Qt keeps only its string value)."""
    data = combo.currentData()
    return None if data is None else kind(data)


class StepDialog(QDialog, Generic[T, R]):
    """Subclasses add rows with `row`, call `finish_layout`, and implement `typed` (what the
    form says, or the first problem a service cannot see, such as an unreadable date) and
    `save` (the one service call). After a successful save `result_record` holds what `save`
    returned."""

    def __init__(
        self, ctx: Context, course_id: int, title: str, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._course_id = course_id
        self.result_record: R | None = None
        self.setWindowTitle(title)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save")
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Cancel")
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)

    def row(self, field: str, text: str, widget: QWidget) -> QWidget:
        """A labelled input (`text` carries the & mnemonic) with its problem label under it."""
        label = QLabel(text)
        label.setBuddy(widget)
        box = self.problems.wrap(field, widget)
        self.form.addRow(label, box)
        return box

    def finish_layout(self, chain: Sequence[QWidget]) -> None:
        """Form, summary line and buttons; Tab follows `chain`, then Save and Cancel."""
        layout = QVBoxLayout(self)
        layout.addLayout(self.form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        for first, second in pairwise((*chain, self.save_button, self.cancel_button)):
            self.setTabOrder(first, second)
        chain[0].setFocus()

    def typed(self) -> T | Problem:
        raise NotImplementedError

    def save(self, value: T) -> R:
        raise NotImplementedError

    def placed(self, problems: Sequence[Problem]) -> tuple[Problem, ...]:
        """The problems under the field names of this form (override when one input stands
        for several fields)."""
        return tuple(problems)

    def _on_save_button_clicked(self) -> None:
        value = self.typed()
        if isinstance(value, Problem):
            self.problems.show(self.placed([value]))
            return
        try:
            saved = self.save(value)
        except ValidationFailed as refused:
            self.problems.show(self.placed(refused.problems))
            return
        except IsoTrackError as error:  # NotAllowed, NotFound: no single field to blame
            self.problems.show_message(error.user_message())
            return
        self.result_record = saved
        self.accept()
