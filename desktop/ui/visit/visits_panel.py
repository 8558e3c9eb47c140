"""A course's recorded visits, newest first; Enter or a double-click opens one, read-only.
A visit that called for a same-day follow-up (domain.md §4.1, §4.2) shows whether it was
done; "Follow-up done…" records it for the selected visit. The chart shows this as its
"Visits" tab."""

from PySide6.QtCore import QItemSelectionModel, QModelIndex, QPersistentModelIndex, Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.context import Context
from desktop.services.visits import VisitRecord, list_visits
from desktop.ui import messages
from desktop.ui.record_table import set_up_record_table
from desktop.ui.tasks import run_task
from desktop.ui.visit.follow_up_dialog import FollowUpDialog
from desktop.ui.visit.visit_view_dialog import VisitViewDialog
from desktop.ui.visit.visits_table_model import (
    SIDE_EFFECTS_COLUMN,
    WRAPPED_COLUMNS,
    VisitsTableModel,
)

NO_VISITS = "No visits recorded for this course yet: record one on the Course tab."
HINT = "Enter or a double-click opens the visit as it was recorded."
NO_FOLLOW_UP_NEEDED = "The selected visit needs no same-day follow-up, or it is recorded."


class VisitsPanel(QWidget):
    """Loads through `run_task` on `refresh()`. Emits `changed` after a follow-up is saved,
    so the chart's header and the worklist drop the item."""

    changed = Signal()

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
        self.follow_up_button = QPushButton("Follow-up &done…", self)
        self.follow_up_button.setEnabled(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.follow_up_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hint_label)
        layout.addWidget(self.status_label)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.visits_table, 1)
        layout.addLayout(buttons)
        self.setFocusProxy(self.visits_table)
        self.visits_table.activated.connect(self._on_visits_table_activated)
        self.visits_table.selectionModel().currentChanged.connect(self._update_button)
        self.follow_up_button.clicked.connect(self._on_follow_up_button_clicked)
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
        self._update_button()

    def _on_visits_failed(self, error: Exception) -> None:
        self.status_label.setText(messages.describe(error))
        self.status_label.show()

    def open_visit(self, row: int) -> None:
        VisitViewDialog.show_visit(self.model.record_at(row), self._ctx.time_zone, self)

    def _current_visit(self) -> VisitRecord | None:
        index = self.visits_table.currentIndex()
        return self.model.record_at(index.row()) if index.isValid() else None

    def _update_button(self) -> None:
        visit = self._current_visit()
        needed = visit is not None and visit.needs_follow_up
        self.follow_up_button.setEnabled(needed)
        self.follow_up_button.setToolTip("" if needed else NO_FOLLOW_UP_NEEDED)

    def _on_follow_up_button_clicked(self) -> None:
        visit = self._current_visit()
        if visit is None or not visit.needs_follow_up:
            return
        if FollowUpDialog.ask(self._ctx, visit, self) is not None:
            self.refresh()
            self.changed.emit()

    def _on_visits_table_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        self.open_visit(index.row())
