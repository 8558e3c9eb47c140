"""A course's recorded visits, newest first; Enter or a double-click opens one, read-only.
The chart shows it as its "Visits" tab."""

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QVBoxLayout, QWidget

from desktop.services.context import Context
from desktop.services.visits import VisitRecord, list_visits
from desktop.ui import messages
from desktop.ui.record_table import set_up_record_table
from desktop.ui.tasks import run_task
from desktop.ui.visit.visit_view_dialog import VisitViewDialog
from desktop.ui.visit.visits_table_model import (
    SIDE_EFFECTS_COLUMN,
    WRAPPED_COLUMNS,
    VisitsTableModel,
)

NO_VISITS = "No visits recorded for this course yet: record one on the Course tab."
HINT = "Enter or a double-click opens the visit as it was recorded."


class VisitsPanel(QWidget):
    """Loads through `run_task` on `refresh()`; changes nothing."""

    def __init__(self, ctx: Context, course_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.course_id = course_id
        self.model = VisitsTableModel()
        self.visits_table = QTableView(self)
        set_up_record_table(self.visits_table, self.model, stretch_column=SIDE_EFFECTS_COLUMN)
        for column in WRAPPED_COLUMNS:  # share the width and wrap, rather than scroll sideways
            self.visits_table.horizontalHeader().setSectionResizeMode(
                column, QHeaderView.ResizeMode.Stretch
            )
        # A course has a visit a month: rows fit their wrapped text whatever the width.
        self.visits_table.verticalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.visits_table.setAccessibleName("Visits")
        self.hint_label = QLabel(HINT, self)
        self.hint_label.setObjectName("hint")
        self.empty_label = QLabel(NO_VISITS, self)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.hide()
        self.status_label = QLabel(self)
        self.status_label.setObjectName("error")
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.visits_table, 1)
        self.setFocusProxy(self.visits_table)
        self.visits_table.activated.connect(self._on_visits_table_activated)
        self.refresh()

    def refresh(self) -> None:
        ctx, course_id = self._ctx, self.course_id
        run_task(
            self,
            lambda: list_visits(ctx, course_id),
            self._on_visits_loaded,
            self._on_visits_failed,
        )

    def _on_visits_loaded(self, visits: tuple[VisitRecord, ...]) -> None:
        self.status_label.hide()
        self.model.set_records(visits)
        self.empty_label.setVisible(not visits)
        self.visits_table.setVisible(bool(visits))
        if visits and not self.visits_table.currentIndex().isValid():
            # Current but not selected: Enter opens the newest visit at once, and a flagged
            # visit keeps its red rather than the selection's colour.
            self.visits_table.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )

    def _on_visits_failed(self, error: Exception) -> None:
        self.status_label.setText(messages.describe(error))
        self.status_label.show()

    def open_visit(self, row: int) -> None:
        VisitViewDialog.show_visit(self.model.record_at(row), self._ctx.time_zone, self)

    def _on_visits_table_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.open_visit(index.row())
