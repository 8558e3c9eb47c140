"""A course's labs: what the protocol wants drawn next, and every order and result with the
flags the rules raise on it (domain.md §3.3, §3.4)."""

from datetime import date
from functools import partial

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.lab_analytes import SPECS
from desktop.rules.labs import PANEL_LABELS, LabDue, LabDuePurpose, LabPanel
from desktop.services.context import Context
from desktop.services.course_overview import CourseLabs, get_course_labs
from desktop.services.labs import LabRecord
from desktop.ui import messages
from desktop.ui.labs.lab_entry_dialog import LabEntryDialog
from desktop.ui.labs.labs_table_model import LabsTableModel
from desktop.ui.record_table import set_up_record_table
from desktop.ui.tasks import run_task

NOTHING_DUE = "Nothing is due under this course's lab protocol."
FLAGS_COLUMN = 4


def newest_first(labs: tuple[LabRecord, ...]) -> list[LabRecord]:
    """Orders still waiting for a draw on top, then the newest draws."""
    return sorted(
        labs,
        key=lambda r: (r.drawn_on is None, r.drawn_on or r.ordered_on or date.min, r.id),
        reverse=True,
    )


def due_words(due: LabDue, today: date) -> str:
    """ "⚠ Overdue: baseline liver function tests due 2026-11-02 (a draw from … counts)"."""
    kind = {
        LabDuePurpose.BASELINE: "Baseline",
        LabDuePurpose.REPEAT: "Repeat",
        LabDuePurpose.RECHECK: "Recheck",
    }[due.purpose]
    text = f"{kind} {PANEL_LABELS[due.panel]}: due {due.due_on.isoformat()}"
    if due.purpose is LabDuePurpose.BASELINE and due.window_opens is not None:
        text += f" (a draw from {due.window_opens.isoformat()} counts)"
    if due.purpose is LabDuePurpose.RECHECK and due.recheck_of is not None:
        names = " and ".join(SPECS[a].name for a in due.recheck_for)
        text += f" ({names} abnormal on {due.recheck_of.isoformat()})"
    if due.due_on < today:
        return f"⚠ Overdue: {text}"
    if due.due_on == today:
        return f"⚠ Due today: {text}"
    return text


class LabsPanel(QWidget):
    """Loads through `run_task` on `refresh()`; emits `course_changed` with the course id
    after a lab is recorded here."""

    course_changed = Signal(int)

    def __init__(self, ctx: Context, course_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.course_id = course_id
        self.view: CourseLabs | None = None
        self.due_heading_label = QLabel("Due next")
        self.due_heading_label.setObjectName("heading")
        self.due_label = QLabel()
        self.due_label.setWordWrap(True)
        self.status_label = QLabel()
        self.status_label.setObjectName("error")
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self.record_button = QPushButton("&Order / record lab…")
        self.model = LabsTableModel()
        self.table = QTableView()
        self._rows_to_measure = False
        self._lay_out()
        self.record_button.clicked.connect(self._on_record_button_clicked)
        self.refresh()

    def _lay_out(self) -> None:
        table = self.table
        set_up_record_table(table, self.model, stretch_column=FLAGS_COLUMN)
        top = QHBoxLayout()
        top.addWidget(self.due_heading_label)
        top.addStretch(1)
        top.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.due_label)
        layout.addWidget(self.status_label)
        layout.addWidget(table, 1)
        self.setTabOrder(self.record_button, table)
        # Rows measured before the panel is shown were measured against narrow columns, and
        # their text sat below the view: wrapped rows follow the columns' widths instead.
        table.horizontalHeader().sectionResized.connect(self._on_table_section_resized)

    def _on_table_section_resized(self, *_: object) -> None:
        """Once the columns have settled (several resize in one layout pass)."""
        if not self._rows_to_measure:
            self._rows_to_measure = True
            QTimer.singleShot(0, self._measure_rows)

    def _measure_rows(self) -> None:
        self._rows_to_measure = False
        self.table.resizeRowsToContents()

    def refresh(self) -> None:
        load = partial(get_course_labs, self._ctx, self.course_id)
        run_task(self, load, self._on_view_loaded, self._on_view_failed)

    def _on_view_failed(self, error: Exception) -> None:
        self.status_label.setText(messages.describe(error))
        self.status_label.show()

    def _on_view_loaded(self, view: CourseLabs) -> None:
        self.view = view
        self.status_label.hide()
        lines = [due_words(due, view.on) for due in view.due]
        self.due_label.setText("\n".join(lines) or NOTHING_DUE)
        self.model.set_records(newest_first(view.labs))
        self.table.resizeRowsToContents()

    def _suggested_panel(self) -> LabPanel:
        if self.view is not None and self.view.due:
            return self.view.due[0].panel
        return LabPanel.LIPIDS

    def _on_record_button_clicked(self) -> None:
        panel = self._suggested_panel()
        if LabEntryDialog.ask(self._ctx, self.course_id, self, panel) is not None:
            self.refresh()
            self.course_changed.emit(self.course_id)
