"""The worklist screen: overdue, due today and this week's work across every tracked course,
most urgent first, filtered by kind and prescriber; Enter opens the chart on the right tab."""

from dataclasses import dataclass
from datetime import date
from itertools import pairwise

from PySide6.QtCore import (
    QItemSelectionModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.worklist_items import ItemStatus, WorkKind
from desktop.services.context import Context
from desktop.services.course_lifecycle import list_prescribers
from desktop.services.course_records import PrescriberChoice
from desktop.services.worklist import WorklistView as LoadedWorklist
from desktop.services.worklist import load_worklist, refresh_worklist
from desktop.ui import messages
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.tasks import run_task
from desktop.ui.worklist.worklist_table_model import KIND_WORDS, WorklistTableModel

AUTO_RELOAD_MS = 5 * 60 * 1000
"""Other workstations save too: the list is read again every 5 minutes, and when shown."""
MESSAGE_COLUMN = 5
NARROW_COLUMNS_MAX_PX = {3: 200, 6: 150}
"""Patient and prescriber names are cut (with a tooltip) rather than squeeze what to do."""
ROW_LINES = 2
ALL_KINDS = "All kinds"
ALL_PRESCRIBERS = "All prescribers"
NOTHING_DUE = "Nothing is overdue, due today or due this week."
NOTHING_MATCHES = "Nothing of this kind is due for this prescriber this week."
UPDATING = "Bringing the worklist up to date for today…"
TAB_FOR_KIND = {
    WorkKind.CONSENT_MISSING: ChartTab.CONSENTS,
    WorkKind.LAB: ChartTab.LABS,
    WorkKind.VISIT: ChartTab.COURSE,
    WorkKind.SAME_DAY_FOLLOW_UP: ChartTab.VISITS,
}
"""Every other kind is an iPLEDGE step: tests, contraception, counselling, comprehension,
the fill window, and the end- and post-course tests."""


def tab_for(kind: WorkKind) -> ChartTab:
    return TAB_FOR_KIND.get(kind, ChartTab.IPLEDGE)


@dataclass(frozen=True, slots=True)
class WorklistScreen:
    """What one load shows: the filtered list, the per-kind counts for the filter (within
    the chosen prescriber), the clinic-wide count for the navigation, the prescribers."""

    shown: LoadedWorklist
    kind_counts: dict[WorkKind, int]
    needs_attention: int
    """Overdue plus due today, across the clinic."""
    prescribers: tuple[PrescriberChoice, ...]


def load_worklist_screen(
    ctx: Context, kind: WorkKind | None, prescriber_id: int | None
) -> WorklistScreen:
    """Up to three reads of the stored list (each sorted and cut in SQL)."""
    base = load_worklist(ctx, prescriber_id=prescriber_id)
    shown = base
    if kind is not None:
        shown = load_worklist(ctx, kinds=frozenset({kind}), prescriber_id=prescriber_id)
    clinic = base if prescriber_id is None else load_worklist(ctx)
    attention = clinic.count(ItemStatus.OVERDUE) + clinic.count(ItemStatus.DUE)
    return WorklistScreen(shown, base.counts_by_kind, attention, list_prescribers(ctx))


def summary_text(view: LoadedWorklist) -> str:
    """'12 overdue · 3 due today · 2 closing soon · 40 this week' (fill windows closing in
    the next two days, then the rest of the week), and how much is listed when cut."""
    counts = (
        f"{view.count(ItemStatus.OVERDUE):,} overdue",
        f"{view.count(ItemStatus.DUE):,} due today",
        f"{view.closing_soon:,} closing soon",
        f"{view.count(ItemStatus.UPCOMING) - view.closing_soon:,} this week",
    )
    text = " · ".join(counts)
    if len(view.rows) < view.total:
        text += f"  —  showing the {len(view.rows):,} most urgent of {view.total:,}"
    return text


FIT_COLUMNS_ROWS = 40
"""Rows measured when sizing columns (the rest are alike: dates, names, MRNs)."""


class WorklistView(QWidget):
    """Loads in the background when built, when shown, on `refresh()` and every few minutes;
    a result older than the newest request is dropped. After the first load of the day, if
    some courses were last computed on an earlier day, they are recomputed in the
    background and the list is read again. Emits `chart_requested(patient_id, course_id,
    tab)` on Enter or double-click, `attention_count_changed(n)` after each load."""

    chart_requested = Signal(int, int, str)
    attention_count_changed = Signal(int)
    loaded = Signal()

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._generation = 0
        self._refreshed_on: date | None = None
        self._shown_before = False
        self.screen_data: WorklistScreen | None = None
        self.model = WorklistTableModel()
        self.kind_input = QComboBox()
        self.kind_input.addItem(ALL_KINDS, None)
        for kind, words in KIND_WORDS.items():
            self.kind_input.addItem(words, kind.value)
        self.prescriber_input = QComboBox()
        self.prescriber_input.addItem(ALL_PRESCRIBERS, None)
        self.reload_button = QPushButton("&Reload")
        self.reload_button.setToolTip("Read the worklist again (F5)")
        self.reload_button.setShortcut("F5")
        self.summary_label = QLabel()
        self.summary_label.setObjectName("heading")
        self.status_label = QLabel()
        self.status_label.setObjectName("hint")
        self.empty_label = QLabel(NOTHING_DUE)
        self.empty_label.setObjectName("emptyState")
        self.empty_label.hide()
        self.detail_label = QLabel()
        self.detail_label.setObjectName("hint")
        self.detail_label.setWordWrap(True)
        self.detail_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.table = QTableView()
        self.reload_timer = QTimer(self)
        self.reload_timer.setInterval(AUTO_RELOAD_MS)
        self._set_up_table()
        self._lay_out()
        self.kind_input.currentIndexChanged.connect(self.refresh)
        self.prescriber_input.currentIndexChanged.connect(self.refresh)
        self.reload_button.clicked.connect(self.refresh)
        self.reload_timer.timeout.connect(self.refresh)
        self.table.activated.connect(self._on_table_activated)
        self.table.selectionModel().currentRowChanged.connect(self._on_current_row_changed)
        self.reload_timer.start()
        self.refresh()

    def _set_up_table(self) -> None:
        table = self.table
        table.setModel(self.model)
        table.setAccessibleName("Worklist")
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setTabKeyNavigation(False)
        table.setWordWrap(True)  # what to do gets two lines; the detail line shows it all
        table.setTextElideMode(Qt.TextElideMode.ElideRight)
        rows = table.verticalHeader()
        rows.hide()
        rows.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)  # fast with 500 rows
        rows.setDefaultSectionSize(table.fontMetrics().lineSpacing() * ROW_LINES + 10)
        header = table.horizontalHeader()
        # Not setSortingEnabled: that sorts at once, and the service's order (most urgent
        # first) is the one to start from; a click on a header sorts by that column.
        header.setSectionsClickable(True)
        header.sectionClicked.connect(self._on_header_section_clicked)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(MESSAGE_COLUMN, QHeaderView.ResizeMode.Stretch)

    def _lay_out(self) -> None:
        show_label = QLabel("&Show")
        show_label.setBuddy(self.kind_input)
        prescriber_label = QLabel("&Prescriber")
        prescriber_label.setBuddy(self.prescriber_input)
        filters = QHBoxLayout()
        filters.addWidget(show_label)
        filters.addWidget(self.kind_input, 2)
        filters.addSpacing(12)
        filters.addWidget(prescriber_label)
        filters.addWidget(self.prescriber_input, 2)
        filters.addStretch(1)
        filters.addWidget(self.reload_button)
        summary = QHBoxLayout()
        summary.addWidget(self.summary_label)
        summary.addStretch(1)
        summary.addWidget(self.status_label)
        layout = QVBoxLayout(self)
        layout.addLayout(summary)
        layout.addLayout(filters)
        layout.addWidget(self.empty_label)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.detail_label)
        chain = (self.kind_input, self.prescriber_input, self.reload_button, self.table)
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)
        self.setFocusProxy(self.table)

    def showEvent(self, event: QShowEvent) -> None:
        """Read again when the list comes back into view; not when first shown, as the
        load started when it was built is already under way (or done)."""
        super().showEvent(event)
        if self._shown_before:
            self.refresh()
        self._shown_before = True

    def selected_kind(self) -> WorkKind | None:
        value = self.kind_input.currentData()
        return None if value is None else WorkKind(value)

    def selected_prescriber_id(self) -> int | None:
        value = self.prescriber_input.currentData()
        return None if value is None else int(value)

    def refresh(self) -> None:
        """Read the stored worklist now, for the filters as they are set."""
        self._generation += 1
        generation, ctx = self._generation, self._ctx
        kind, prescriber_id = self.selected_kind(), self.selected_prescriber_id()
        run_task(
            self,
            lambda: load_worklist_screen(ctx, kind, prescriber_id),
            lambda screen: self._on_screen_loaded(generation, screen),
            self._on_task_failed,
        )

    def _on_task_failed(self, error: Exception) -> None:
        self.status_label.setText(messages.describe(error))

    def _on_screen_loaded(self, generation: int, screen: WorklistScreen) -> None:
        if generation != self._generation:
            return
        self.screen_data = screen
        view = screen.shown
        self._show_kind_counts(screen.kind_counts)
        self._show_prescribers(screen.prescribers)
        selected = self._selected_row_key()
        self.model.set_records(view.rows)
        self._reselect(selected)
        if not self.table.currentIndex().isValid() and view.rows:
            # Current but not selected: Enter works at once, and the most urgent row keeps
            # its red rather than the selection's colour.
            self.table.selectionModel().setCurrentIndex(
                self.model.index(0, 0), QItemSelectionModel.SelectionFlag.NoUpdate
            )
        self._fit_columns()
        self.summary_label.setText(summary_text(view))
        filtered = self.selected_kind() is not None or self.selected_prescriber_id() is not None
        self.empty_label.setText(NOTHING_MATCHES if filtered else NOTHING_DUE)
        self.empty_label.setVisible(not view.rows)
        self.attention_count_changed.emit(screen.needs_attention)
        self.loaded.emit()
        if view.stale_courses and self._refreshed_on != view.as_of:
            self._bring_up_to_date(view.as_of)

    def _bring_up_to_date(self, today: date) -> None:
        """Once a day: courses computed on an earlier day are recomputed for today."""
        self._refreshed_on = today
        self.status_label.setText(UPDATING)
        ctx = self._ctx
        run_task(
            self, lambda: refresh_worklist(ctx), self._on_brought_up_to_date, self._on_task_failed
        )

    def _on_brought_up_to_date(self, _recomputed: int) -> None:
        self.status_label.clear()
        self.refresh()

    def _show_kind_counts(self, counts: dict[WorkKind, int]) -> None:
        self.kind_input.setItemText(0, f"{ALL_KINDS} ({sum(counts.values()):,})")
        for row in range(1, self.kind_input.count()):
            kind = WorkKind(self.kind_input.itemData(row))
            self.kind_input.setItemText(row, f"{KIND_WORDS[kind]} ({counts.get(kind, 0):,})")

    def _show_prescribers(self, prescribers: tuple[PrescriberChoice, ...]) -> None:
        listed = [
            self.prescriber_input.itemData(r) for r in range(1, self.prescriber_input.count())
        ]
        if listed == [p.id for p in prescribers]:
            return
        chosen = self.selected_prescriber_id()
        self.prescriber_input.blockSignals(True)
        while self.prescriber_input.count() > 1:
            self.prescriber_input.removeItem(1)
        for prescriber in prescribers:
            self.prescriber_input.addItem(prescriber.display_name, prescriber.id)
        found = self.prescriber_input.findData(chosen) if chosen is not None else 0
        self.prescriber_input.setCurrentIndex(max(found, 0))
        self.prescriber_input.blockSignals(False)

    def _selected_row_key(self) -> tuple[int, str, date] | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        record = self.model.record_at(rows[0].row())
        return (record.course_id, record.kind.value, record.due_on)

    def _reselect(self, key: tuple[int, str, date] | None) -> None:
        """The nurse's place in the list survives a reload."""
        for row, record in enumerate(self.model.records()):
            if (record.course_id, record.kind.value, record.due_on) == key:
                self.table.selectRow(row)
                return

    def _fit_columns(self) -> None:
        """Columns sized to what they hold once; the message takes the rest of the width.
        Only the first rows are measured: measuring all 500 took ~450 ms at every sign-in."""
        self.table.horizontalHeader().setResizeContentsPrecision(FIT_COLUMNS_ROWS)
        for column in range(self.model.columnCount()):
            if column != MESSAGE_COLUMN:
                self.table.resizeColumnToContents(column)
        for column, widest in NARROW_COLUMNS_MAX_PX.items():
            if self.table.columnWidth(column) > widest:
                self.table.setColumnWidth(column, widest)

    def _on_current_row_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        """The whole item under the table, however narrow the columns."""
        if not current.isValid():
            self.detail_label.clear()
            return
        row = self.model.record_at(current.row())
        self.detail_label.setText(
            f"{row.patient_name} ({row.mrn}), {row.prescriber_name}: {row.message}  "
            "— Enter opens the chart."
        )

    def _on_header_section_clicked(self, column: int) -> None:
        header = self.table.horizontalHeader()
        ascending = Qt.SortOrder.AscendingOrder
        order = ascending
        if header.isSortIndicatorShown() and header.sortIndicatorSection() == column:
            order = (
                Qt.SortOrder.DescendingOrder
                if header.sortIndicatorOrder() == ascending
                else ascending
            )
        header.setSortIndicatorShown(True)
        header.setSortIndicator(column, order)
        self.model.sort(column, order)

    def _on_table_activated(self, index: QModelIndex | QPersistentModelIndex) -> None:
        row = self.model.record_at(index.row())
        self.chart_requested.emit(row.patient_id, row.course_id, tab_for(row.kind).value)
