"""Register a new patient or edit one: Enter saves, Esc cancels, problems shown in place."""

from itertools import pairwise

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.problems import Problem
from desktop.services.context import Context
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.services.patients import register_patient, update_patient
from desktop.services.records import PatientRecord
from desktop.ui.patients.patient_form_panel import PatientFormPanel
from desktop.ui.screens import available_geometry

FORM_ALLOWANCE_PX = 260
"""Room for the buttons, the summary line, the guardian rows of a minor and a few problems."""
SCREEN_MARGIN_PX = 60


class PatientDialog(QDialog):
    """On a successful save `result_record` holds the saved patient. A refused save (a rule,
    a stale edit, a missing permission) leaves the dialog open with everything typed kept;
    the service saves all or nothing, so there is never half a patient."""

    def __init__(
        self, ctx: Context, parent: QWidget | None = None, existing: PatientRecord | None = None
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._existing = existing
        self.result_record: PatientRecord | None = None
        title = "New patient" if existing is None else f"Edit patient — {existing.legal_name}"
        self.setWindowTitle(title)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.form = PatientFormPanel(self.error_label, ctx.today())
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save")  # no Alt key: Alt+S already chooses the sex field
        self.save_button.setDefault(True)
        self.cancel_button = self.buttons.button(QDialogButtonBox.StandardButton.Cancel)
        self.cancel_button.setText("Cancel")
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        if existing is not None:
            self.form.set_record(existing)
        self._lay_out()

    def _lay_out(self) -> None:
        self.form_scroll = scroll = QScrollArea()
        scroll.setObjectName("formScroll")
        scroll.viewport().setObjectName("formViewport")
        self.form.setObjectName("formPanel")
        scroll.setWidget(self.form)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        for first, second in pairwise((*self.form.tab_chain(), self.save_button)):
            self.setTabOrder(first, second)
        self.setMinimumWidth(560)
        self._fit_to_screen()
        self.form.mrn_input.setFocus()

    def _fit_to_screen(self) -> None:
        """Tall enough for the whole form, guardian rows and problem lines included, so
        nobody has to scroll on an ordinary screen; a small screen gets the scroll bar."""
        wanted = self.form.sizeHint().height() + FORM_ALLOWANCE_PX
        available = available_geometry(self)
        screen = available.height() if available is not None else wanted
        self.resize(640, min(wanted, screen - SCREEN_MARGIN_PX))

    @classmethod
    def ask(
        cls, ctx: Context, parent: QWidget | None = None, existing: PatientRecord | None = None
    ) -> PatientRecord | None:
        dialog = cls(ctx, parent, existing)
        dialog.exec()
        return dialog.result_record

    def _save(self) -> PatientRecord:
        draft = self.form.draft()
        if self._existing is None:
            return register_patient(self._ctx, draft)
        return update_patient(self._ctx, self._existing.id, self._existing.version, draft)

    def _on_save_button_clicked(self) -> None:
        if problem := self.form.date_problem():
            self._show_problems((problem,))
            return
        try:
            self.result_record = self._save()
        except ValidationFailed as refused:
            self._show_problems(refused.problems)
            return
        except IsoTrackError as error:  # StaleEdit names who saved it and when; NotAllowed
            self.form.problems.show_message(error.user_message())
            return
        self.accept()

    def _show_problems(self, problems: tuple[Problem, ...]) -> None:
        self.form.problems.show(problems)
        if (focused := self.focusWidget()) is not None:
            self.form_scroll.ensureWidgetVisible(focused)
