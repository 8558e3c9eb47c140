"""Staff accounts for administrators: add, deactivate or reactivate, reset a password."""

from PySide6.QtCore import QItemSelection, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.services.context import Context
from desktop.services.errors import IsoTrackError
from desktop.services.records import StaffRecord
from desktop.services.staff import list_staff, set_staff_active
from desktop.ui import messages
from desktop.ui.staff.reset_password_dialog import ResetPasswordDialog
from desktop.ui.staff.staff_dialog import StaffDialog
from desktop.ui.staff.staff_table_model import StaffTableModel


class StaffView(QWidget):
    """`message_label` says what the last action did, or why it was refused."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.model = StaffTableModel()
        self.table = QTableView()
        self.add_button = QPushButton("&Add staff…")
        self.active_button = QPushButton("&Deactivate")
        self.reset_button = QPushButton("&Reset password…")
        self.message_label = QLabel()
        self.message_label.setWordWrap(True)
        self._set_up_table()
        self._lay_out()
        self.add_button.clicked.connect(self.add_staff)
        self.active_button.clicked.connect(self.toggle_active)
        self.reset_button.clicked.connect(self.reset_password)
        self.table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.refresh()

    def _set_up_table(self) -> None:
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.setTabKeyNavigation(False)
        self.table.verticalHeader().hide()
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(1, Qt.SortOrder.AscendingOrder)  # Qt's default is descending
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def _lay_out(self) -> None:
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        buttons.addWidget(self.active_button)
        buttons.addWidget(self.reset_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message_label)

    def refresh(self, select_id: int | None = None) -> None:
        try:
            self.model.set_records(list_staff(self._ctx))
        except IsoTrackError as error:
            self._say(error.user_message(), is_error=True)
            return
        if select_id is not None:
            rows = [r for r, s in enumerate(self.model.records()) if s.id == select_id]
            if rows:
                self.table.selectRow(rows[0])
        self._on_selection_changed()

    def selected(self) -> StaffRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def _on_selection_changed(
        self, _selected: QItemSelection | None = None, _deselected: QItemSelection | None = None
    ) -> None:
        staff = self.selected()
        self.active_button.setEnabled(staff is not None)
        self.reset_button.setEnabled(staff is not None)
        is_active = staff is None or staff.is_active
        self.active_button.setText("&Deactivate" if is_active else "Re&activate")

    def _say(self, text: str, *, is_error: bool = False) -> None:
        label = self.message_label
        label.setObjectName("error" if is_error else "hint")
        label.style().unpolish(label)  # the style sheet picks its colour by object name
        label.style().polish(label)
        label.setText(text)

    def add_staff(self) -> None:
        record = StaffDialog.ask(self._ctx, self)
        if record is not None:
            self.refresh(record.id)
            self._say(f"Added {record.display_name}; they can sign in as {record.username}.")

    def toggle_active(self) -> None:
        staff = self.selected()
        if staff is None:
            return
        if staff.is_active:
            question = f"Deactivate {staff.display_name}? They will no longer be able to sign in."
            if not messages.confirm(self, question):
                return
        try:
            saved = set_staff_active(self._ctx, staff.id, staff.version, active=not staff.is_active)
        except IsoTrackError as error:
            self._say(error.user_message(), is_error=True)
            self.refresh(staff.id)
            return
        self.refresh(saved.id)
        state = "reactivated" if saved.is_active else "deactivated"
        self._say(f"{saved.display_name} is {state}.")

    def reset_password(self) -> None:
        staff = self.selected()
        if staff is None:
            return
        saved = ResetPasswordDialog.ask(self._ctx, staff, self)
        if saved is not None:
            self.refresh(saved.id)
            self._say(f"New password set for {saved.display_name}.")
