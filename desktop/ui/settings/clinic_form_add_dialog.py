"""Add one of the clinic's own PDF forms: its title, which patients it is for, and the file.
Enter saves, Esc cancels; a file that is not a readable PDF is refused beside its field."""

from pathlib import Path

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.clinic_forms import AUDIENCE_LABELS, ClinicFormAudience
from desktop.rules.problems import Problem
from desktop.services.clinic_forms import (
    MAX_FORM_BYTES,
    ClinicFormDraft,
    ClinicFormRecord,
    add_clinic_form,
)
from desktop.services.context import Context
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.ui.field_problems import FieldProblems, chain_tab_order, new_form

NO_FILE = "No file chosen"


def ask_pdf_path(parent: QWidget) -> str | None:
    """The one place a PDF is chosen from disk, so tests can answer it."""
    path, _filter = QFileDialog.getOpenFileName(parent, "Choose a PDF form", "", "PDF (*.pdf)")
    return path or None


def read_pdf_file(path: str) -> tuple[bytes | None, str | None]:
    """The file's bytes, or why it cannot be used; a huge file is not read into memory."""
    file = Path(path)
    try:
        if file.stat().st_size > MAX_FORM_BYTES:
            size_mb = file.stat().st_size / (1024 * 1024)
            return None, f"The file is {size_mb:.1f} MB; choose a PDF of at most 20 MB."
        return file.read_bytes(), None
    except OSError:
        return None, "This file cannot be opened; check that it still exists."


class ClinicFormAddDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._pdf: bytes | None = None
        self._file_name = ""
        self.result_record: ClinicFormRecord | None = None
        self.setWindowTitle("Add a clinic form")
        self.title_input = QLineEdit()
        self.audience_input = QComboBox()
        for audience in ClinicFormAudience:
            self.audience_input.addItem(AUDIENCE_LABELS[audience], audience.value)
        self.choose_button = QPushButton("C&hoose PDF…")
        self.choose_button.setAutoDefault(False)
        self.file_label = QLabel(NO_FILE)
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.problems = FieldProblems(self.error_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel
        )
        self.save_button = self.buttons.button(QDialogButtonBox.StandardButton.Save)
        self.buttons.accepted.connect(self._on_save_button_clicked)
        self.buttons.rejected.connect(self.reject)
        self.choose_button.clicked.connect(self._on_choose_button_clicked)
        self._lay_out()

    def _lay_out(self) -> None:
        file_row = QWidget()
        row = QHBoxLayout(file_row)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.choose_button)
        row.addWidget(self.file_label, 1)
        file_row.setFocusProxy(self.choose_button)
        form = new_form()
        self.problems.add_rows(
            form,
            (
                ("&Title", "title", self.title_input),
                ("&For", "audience", self.audience_input),
                ("&PDF file", "pdf", file_row),
            ),
        )
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        self.save_button.setDefault(True)
        chain_tab_order(
            self, (self.title_input, self.audience_input, self.choose_button, self.save_button)
        )
        self.setMinimumWidth(480)
        self.title_input.setFocus()

    @classmethod
    def ask(cls, ctx: Context, parent: QWidget | None = None) -> ClinicFormRecord | None:
        dialog = cls(ctx, parent)
        dialog.exec()
        return dialog.result_record

    def choose_file(self, path: str) -> None:
        pdf, problem = read_pdf_file(path)
        if problem is not None:
            self.problems.show([Problem("pdf", problem)])
            return
        self._pdf, self._file_name = pdf, Path(path).name
        self.file_label.setText(self._file_name)
        self.problems.clear()

    def _on_choose_button_clicked(self) -> None:
        path = ask_pdf_path(self)
        if path is not None:
            self.choose_file(path)

    def _on_save_button_clicked(self) -> None:
        data = self.audience_input.currentData()
        draft = ClinicFormDraft(
            self.title_input.text(),
            None if data is None else ClinicFormAudience(data),
            self._pdf,
            self._file_name,
        )
        try:
            self.result_record = add_clinic_form(self._ctx, draft)
        except ValidationFailed as error:
            self.problems.show(error.problems)
            return
        except IsoTrackError as error:
            self.problems.show_message(str(error))
            return
        self.accept()
