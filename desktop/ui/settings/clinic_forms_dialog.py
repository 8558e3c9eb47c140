"""The clinic's own PDF forms, in the order every consent packet prints them: an
administrator adds, replaces, reorders and retires them here."""

from collections.abc import Callable

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.clinic_forms import AUDIENCE_LABELS
from desktop.services.clinic_forms import (
    ClinicFormRecord,
    list_clinic_forms,
    move_clinic_form,
    replace_clinic_form_pdf,
    retire_clinic_form,
)
from desktop.services.context import Context
from desktop.services.errors import IsoTrackError, ValidationFailed
from desktop.services.roles import Permission, can
from desktop.ui import messages
from desktop.ui.field_problems import chain_tab_order
from desktop.ui.record_table import set_up_record_table
from desktop.ui.settings.clinic_form_add_dialog import (
    ClinicFormAddDialog,
    ask_pdf_path,
    read_pdf_file,
)
from desktop.ui.table_model import Column, RecordTableModel

CLINIC_FORM_COLUMNS: tuple[Column[ClinicFormRecord], ...] = (
    Column("#", lambda r: str(r.position)),
    Column("Title", lambda r: r.title),
    Column("For", lambda r: AUDIENCE_LABELS[r.audience]),
    Column("Pages", lambda r: str(r.pages)),
    Column("File", lambda r: r.file_name),
    Column("Changed by", lambda r: r.updated_by_name),
)
INTRO = (
    "Every consent packet ends with the forms below that apply to the patient, in this "
    "order, after IsoTrack's own consent forms."
)
ADMIN_ONLY = "Only an administrator can change the clinic's forms."

Work = Callable[[ClinicFormRecord], ClinicFormRecord | None]
"""One change to the selected form; returns the form to select afterwards."""


class ClinicFormsDialog(QDialog):
    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.setWindowTitle("Clinic PDF forms")
        self.model: RecordTableModel[ClinicFormRecord] = RecordTableModel(CLINIC_FORM_COLUMNS)
        self.table = QTableView()
        set_up_record_table(self.table, self.model, stretch_column=1)
        self.add_button = QPushButton("&Add…")
        self.replace_button = QPushButton("&Replace file…")
        self.up_button = QPushButton("Move &up")
        self.down_button = QPushButton("Move &down")
        self.retire_button = QPushButton("Re&tire")
        self.error_label = QLabel()
        self.error_label.setObjectName("error")
        self.error_label.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.buttons.rejected.connect(self.reject)
        self._connect()
        self._lay_out()
        self.reload()

    def _connect(self) -> None:
        self.add_button.clicked.connect(self._on_add_button_clicked)
        self.replace_button.clicked.connect(self._on_replace_button_clicked)
        self.up_button.clicked.connect(lambda: self._move(-1))
        self.down_button.clicked.connect(lambda: self._move(1))
        self.retire_button.clicked.connect(self._on_retire_button_clicked)

    def _lay_out(self) -> None:
        actions = QVBoxLayout()
        self._actions = (
            self.add_button,
            self.replace_button,
            self.up_button,
            self.down_button,
            self.retire_button,
        )
        for button in self._actions:
            button.setAutoDefault(False)
            actions.addWidget(button)
            button.setEnabled(can(self._ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS))
        actions.addStretch(1)
        body = QHBoxLayout()
        body.addWidget(self.table, 1)
        body.addLayout(actions)
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body)
        layout.addWidget(self.error_label)
        layout.addWidget(self.buttons)
        if not can(self._ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS):
            self.error_label.setText(ADMIN_ONLY)
        chain_tab_order(self, (self.table, *self._actions))
        self.resize(760, 380)
        self.table.setFocus()

    @classmethod
    def open_for(cls, ctx: Context, parent: QWidget | None = None) -> None:
        """Modal; a non-administrator sees the list but every change is refused."""
        dialog = cls(ctx, parent)
        dialog.exec()

    def reload(self, select_id: int | None = None) -> None:
        self.model.set_records(list_clinic_forms(self._ctx))
        rows = [i for i, r in enumerate(self.model.records()) if r.id == select_id]
        if rows or self.model.rowCount():
            self.table.selectRow(rows[0] if rows else 0)

    def selected(self) -> ClinicFormRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def _run(self, action: str, work: Work) -> None:
        form = self.selected()
        if form is None:
            self.error_label.setText(f"Choose the form to {action} first.")
            return
        try:
            changed = work(form)
        except ValidationFailed as error:
            self.error_label.setText(error.problems[0].message)
            return
        except IsoTrackError as error:
            self.error_label.setText(str(error))
            return
        self.error_label.clear()
        self.reload(changed.id if changed is not None else None)

    def _on_add_button_clicked(self) -> None:
        added = ClinicFormAddDialog.ask(self._ctx, self)
        if added is not None:
            self.error_label.clear()
            self.reload(added.id)

    def _on_replace_button_clicked(self) -> None:
        def replace(form: ClinicFormRecord) -> ClinicFormRecord | None:
            path = ask_pdf_path(self)
            if path is None:
                return form
            pdf, problem = read_pdf_file(path)
            if problem is not None:
                raise IsoTrackError(problem)
            name = path.replace("\\", "/").rsplit("/", 1)[-1]
            return replace_clinic_form_pdf(self._ctx, form.id, form.version, pdf, name)

        self._run("replace", replace)

    def _move(self, step: int) -> None:
        def move(form: ClinicFormRecord) -> ClinicFormRecord:
            move_clinic_form(self._ctx, form.id, form.version, step)
            return form

        self._run("move", move)

    def _on_retire_button_clicked(self) -> None:
        def retire(form: ClinicFormRecord) -> ClinicFormRecord | None:
            question = f"Retire “{form.title}”? Packets printed from now on leave it out."
            if not messages.confirm(self, question):
                return form
            retire_clinic_form(self._ctx, form.id, form.version)
            return None

        self._run("retire", retire)
