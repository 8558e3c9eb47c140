"""Add a new version of one of the clinic's consent templates: pick the form, read the
wording in force today, edit or paste the new wording, give it a version and the date it
takes effect. Saved versions never change (domain.md §5); Esc cancels."""

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.problems import Problem
from desktop.services.consent_template_versions import (
    ConsentTemplateSummary,
    ConsentTemplateVersionDraft,
    TemplateVersionRecord,
    add_consent_template_version,
    consent_template_overview,
)
from desktop.services.context import Context
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.services.roles import Permission, can
from desktop.ui.field_problems import FieldProblems, chain_tab_order, new_form
from desktop.ui.widgets.date_input import DateInput

WORDING_NOTE = (
    "TOML as in resources/consents/README.md: title, applies_to, intro, signers, statements "
    "and optional [[sections]]. Text prints exactly as typed."
)
ADMIN_ONLY = "Only an administrator can add consent template versions."


def next_version(version: str) -> str:
    """2026.1 → 2026.2: the usual next label, which the administrator may change."""
    year, revision = version.split(".")
    return f"{year}.{int(revision) + 1}"


class ConsentTemplatesDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._summaries = consent_template_overview(ctx)
        self.result_record: TemplateVersionRecord | None = None
        self.setWindowTitle("Consent template versions")
        self.form_input = QComboBox()
        for summary in self._summaries:
            self.form_input.addItem(f"{summary.title} ({summary.form.value})", summary.form.value)
        self.current_label = QLabel()
        self.current_label.setWordWrap(True)
        self.wording_input = QPlainTextEdit()
        self.wording_input.setTabChangesFocus(True)
        self.wording_input.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.version_input = QLineEdit()
        self.effective_input = DateInput()
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.save_button.setText("Save new version")
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self.form_input.currentIndexChanged.connect(self._on_form_input_changed)
        self._lay_out()
        self._on_form_input_changed()

    def _lay_out(self) -> None:
        form = new_form()
        self.problems.add_rows(
            form,
            (
                ("&Form", "form", self.form_input),
                ("In force today", "current", self.current_label),
                ("&Wording", "wording", self.wording_input),
                ("&Version", "version", self.version_input),
                ("&Effective from", "effective_on", self.effective_input),
            ),
        )
        note = QLabel(WORDING_NOTE)
        note.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.save_button.setDefault(True)
        chain_tab_order(
            self,
            (
                self.form_input,
                self.wording_input,
                self.version_input,
                self.effective_input,
                self.save_button,
            ),
        )
        if not can(self._ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS):
            self.save_button.setEnabled(False)
            self.error_label.setText(ADMIN_ONLY)
        self.resize(820, 640)
        self.form_input.setFocus()

    @classmethod
    def open_for(cls, ctx: Context, parent: QWidget | None = None) -> TemplateVersionRecord | None:
        """Modal; the saved version, or None when cancelled."""
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.result_record

    def _summary(self) -> ConsentTemplateSummary:
        return self._summaries[max(self.form_input.currentIndex(), 0)]

    def _on_form_input_changed(self) -> None:
        """The wording in force today, ready to edit, and the next version label."""
        summary = self._summary()
        current = summary.current
        versions = ", ".join(v.version for v in summary.versions)
        self.current_label.setText(
            f"Version {current.version}, in force since {current.effective_on.isoformat()} "
            f"(all versions: {versions})"
        )
        self.wording_input.setPlainText(summary.current_wording)
        newest = summary.versions[-1]
        self.version_input.setText(next_version(newest.version))
        self.effective_input.set_date(max(self._ctx.today(), newest.effective_on))
        if can(self._ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS):
            self.problems.clear()

    def _on_save_button_clicked(self) -> None:
        if (problem := self.effective_input.problem()) is not None:
            self.problems.show([Problem("effective_on", problem)])
            return
        draft = ConsentTemplateVersionDraft(
            self._summary().form,
            self.version_input.text(),
            self.effective_input.date_value(),
            self.wording_input.toPlainText(),
        )
        try:
            self.result_record = add_consent_template_version(self._ctx, draft)
        except ValidationFailed as error:
            self.problems.show(error.problems)
            return
        except IsoTrackError as error:
            self.problems.show_message(str(error))
            return
        self.accept()
