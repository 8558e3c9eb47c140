"""One patient's chart: the header above the tabs (Overview, Course, Visits, iPLEDGE, Labs,
Consents, History), each tab's panel built when first shown."""

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.patients import RISK_CATEGORY_EXPLANATIONS
from desktop.services.context import Context
from desktop.services.errors import IsoTrackError
from desktop.services.patients import get_patient
from desktop.services.printing import Audience
from desktop.services.records import PatientRecord
from desktop.ui import messages
from desktop.ui.chart.chart_data import ChartData, load_chart_data
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.chart.history_table_model import HistoryTableModel
from desktop.ui.chart.medications_panel import MedicationsPanel
from desktop.ui.chart.patient_header_panel import PatientHeaderPanel
from desktop.ui.consents.consents_panel import ConsentsPanel
from desktop.ui.course.course_panel import CoursePanel
from desktop.ui.ipledge.ipledge_panel import IpledgePanel
from desktop.ui.labs.labs_panel import LabsPanel
from desktop.ui.patients.patient_dialog import PatientDialog
from desktop.ui.patients.patient_form_panel import HARD_STOP_NOTE, field_title
from desktop.ui.patients.patients_table_model import birth_date_and_age, risk_category_label
from desktop.ui.printing.print_preview_dialog import preview_consent_packet, preview_visit_summary
from desktop.ui.tasks import run_task
from desktop.ui.visit.visits_panel import VisitsPanel

NO_COURSE_YET = "No course yet: start one on the Course tab."
LOADING = "Loading…"
TAB_TITLES = {
    ChartTab.OVERVIEW: "Overv&iew",
    ChartTab.COURSE: "Cou&rse",
    ChartTab.VISITS: "&Visits",
    ChartTab.IPLEDGE: "iP&LEDGE",
    ChartTab.LABS: "La&bs",
    ChartTab.CONSENTS: "Cons&ents",
    ChartTab.HISTORY: "&History",
}
"""Alt keys the panels inside the tabs do not use."""
COURSE_TABS = (ChartTab.VISITS, ChartTab.IPLEDGE, ChartTab.LABS)
"""Tabs that show the course selected on the Course tab."""
OVERVIEW_FIELDS = (
    "legal_name", "preferred_name", "birth_date", "sex_at_birth", "risk_category",
    "ipledge_patient_id", "phone", "email", "allergies", "has_retinoid_allergy",
    "is_pregnant_or_breastfeeding", "guardian_name", "guardian_relationship",
)  # fmt: skip
Panel = CoursePanel | VisitsPanel | IpledgePanel | LabsPanel | ConsentsPanel


class PatientChartView(QWidget):
    """Emits `back_requested` for the list it was opened from, `patient_changed(record)`
    after the patient's details are edited here, and `record_changed` after anything is
    saved in any tab (the main window refreshes the worklist on it). The header and the
    history follow every save; other tabs reload when next shown."""

    back_requested = Signal()
    patient_changed = Signal(object)
    record_changed = Signal()
    loaded = Signal()

    def __init__(
        self,
        ctx: Context,
        patient_id: int,
        parent: QWidget | None = None,
        *,
        course_id: int | None = None,
        tab: ChartTab = ChartTab.OVERVIEW,
        back_to: str = "Patients",
    ) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.patient_id = patient_id
        self.course_id = course_id
        self._wanted_course_id = course_id
        self.record: PatientRecord | None = None
        self.data: ChartData | None = None
        self.panels: dict[ChartTab, Panel] = {}
        self._stale: set[ChartTab] = set()
        self._generation = 0
        # Every widget is made in its final parent: one moved into a parent later is styled
        # again, and again for each ancestor moved after it.
        self.back_button = QPushButton(f"← {back_to}", self)
        self.back_button.setToolTip(f"Back to the {back_to.lower()} (Alt+←)")
        self.edit_button = QPushButton("Edi&t patient…", self)
        self.edit_button.setToolTip("Edit the patient's details (Ctrl+E)")
        self.print_button = QPushButton("Pri&nt", self)
        self.print_button.setToolTip("Preview, print or save this patient's documents")
        self.print_button.setMenu(self._print_menu())
        self.header = PatientHeaderPanel(self)
        self.tabs = QTabWidget(self)
        self.pages: dict[ChartTab, QWidget] = {}
        self._empty_labels: dict[ChartTab, QLabel] = {}
        for each in ChartTab:  # empty while added: nothing inside to restyle
            self.pages[each] = QWidget()
            self.tabs.addTab(self.pages[each], TAB_TITLES[each])
        self.overview_values = {
            field: QLabel(self.pages[ChartTab.OVERVIEW]) for field in OVERVIEW_FIELDS
        }
        self.medications_panel = MedicationsPanel(ctx, patient_id, self.pages[ChartTab.OVERVIEW])
        self.history_model = HistoryTableModel(ctx.time_zone)
        self.history_table = QTableView(self.pages[ChartTab.HISTORY])
        self._lay_out()
        self.back_button.clicked.connect(self.back_requested)
        self.edit_button.clicked.connect(self.edit_patient)
        self.medications_panel.medications_changed.connect(
            lambda: self._on_panel_changed(ChartTab.OVERVIEW)
        )
        self._add_shortcut("Alt+Left", self.back_requested.emit)
        self._add_shortcut("Ctrl+E", self.edit_patient)
        self.tabs.currentChanged.connect(self._on_tabs_current_changed)
        self.show_tab(tab)
        self.reload()

    def _add_shortcut(self, keys: str, slot: Callable[[], object]) -> None:
        """An action rather than a button shortcut: a button's waits for its press animation."""
        action = QAction(self)
        action.setShortcut(QKeySequence(keys))
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(lambda _checked=False: slot())
        self.addAction(action)

    def _lay_out(self) -> None:
        top = QHBoxLayout()
        top.addWidget(self.back_button)
        top.addStretch(1)
        top.addWidget(self.print_button)
        top.addWidget(self.edit_button)
        for tab, page in self.pages.items():
            if tab is ChartTab.OVERVIEW:
                self._lay_out_overview(page)
            elif tab is ChartTab.HISTORY:
                self._lay_out_history(page)
            else:
                self._lay_out_panel_page(tab, page)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.header)
        layout.addWidget(self.tabs, 1)
        self.setTabOrder(self.back_button, self.print_button)
        self.setTabOrder(self.print_button, self.edit_button)
        self.setTabOrder(self.edit_button, self.tabs)

    def _print_menu(self) -> QMenu:
        """Documents built by the services and shown in the preview (issue 5)."""
        menu = QMenu(self)
        menu.addAction("&Consent packet…", self.print_consent_packet)
        menu.addAction(
            "Visit summary for the &patient…", lambda: self.print_visit_summary(Audience.PATIENT)
        )
        menu.addAction(
            "Visit summary for the c&hart…", lambda: self.print_visit_summary(Audience.CHART)
        )
        return menu

    def print_consent_packet(self) -> None:
        preview_consent_packet(self._ctx, self.patient_id, self)

    def print_visit_summary(self, audience: Audience) -> None:
        preview_visit_summary(self._ctx, self.patient_id, self, audience)

    def _lay_out_overview(self, page: QWidget) -> None:
        form = QFormLayout()
        for field, value in self.overview_values.items():
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            value.setWordWrap(True)
            form.addRow(f"{field_title(field)}:", value)
        layout = QVBoxLayout(page)
        layout.addLayout(form)
        layout.addWidget(self.medications_panel, 1)

    def _lay_out_history(self, page: QWidget) -> None:
        table = self.history_table
        table.setModel(self.history_model)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        table.setTabKeyNavigation(False)
        table.setWordWrap(True)
        table.verticalHeader().hide()
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(table)

    def _lay_out_panel_page(self, tab: ChartTab, page: QWidget) -> None:
        """The page holds the tab's panel once built, and until then (or without a course)
        a line saying why it is empty."""
        empty = QLabel(LOADING, page)
        empty.setObjectName("emptyState")
        empty.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self._empty_labels[tab] = empty
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(empty, 0, Qt.AlignmentFlag.AlignTop)

    def reload(self) -> None:
        """Read the patient, history, courses and the shown course's figures again."""
        self._generation += 1
        generation = self._generation
        ctx, patient_id, course_id = self._ctx, self.patient_id, self.course_id
        run_task(
            self,
            lambda: load_chart_data(ctx, patient_id, course_id),
            lambda data: self._on_data_loaded(generation, data),
            lambda error: messages.show_error(self, error),
        )

    def _on_data_loaded(self, generation: int, data: ChartData) -> None:
        if generation != self._generation:
            return  # a newer read is on its way (another save, another course)
        self.data = data
        self.record = data.patient
        if self.course_id != data.course_id:
            self._rebind_course(data.course_id)
        self.header.show_data(data, self._ctx.today())
        self._show_overview(data.patient)
        self.medications_panel.show_records(data.medications)
        self.history_model.set_records(data.history)
        self.history_table.resizeRowsToContents()
        course_panel = self.panels.get(ChartTab.COURSE)
        if isinstance(course_panel, CoursePanel):
            course_panel.set_patient(data.patient)
        self._show_current_tab()
        self.loaded.emit()

    def _show_overview(self, record: PatientRecord) -> None:
        category = risk_category_label(record.risk_category)
        if record.risk_category is not None:
            category += f"\n{RISK_CATEGORY_EXPLANATIONS[record.risk_category]}"
        shown = {
            "birth_date": birth_date_and_age(record.birth_date, self._ctx.today()),
            "sex_at_birth": record.sex_at_birth.value.capitalize(),
            "risk_category": category,
            "has_retinoid_allergy": "Yes" if record.has_retinoid_allergy else "No",
            "is_pregnant_or_breastfeeding": (
                f"Yes — {HARD_STOP_NOTE}" if record.is_pregnant_or_breastfeeding else "No"
            ),
        }
        for field, label in self.overview_values.items():
            label.setText(shown.get(field, str(getattr(record, field))) or "—")

    def show_tab(self, tab: ChartTab | str) -> None:
        """Bring `tab` (a ChartTab or its name) to the front, building its panel if needed."""
        self.tabs.setCurrentWidget(self.pages[ChartTab(tab)])

    def current_tab(self) -> ChartTab:
        return list(ChartTab)[self.tabs.currentIndex()]

    def _on_tabs_current_changed(self, _index: int) -> None:
        self._show_current_tab()

    def _show_current_tab(self) -> None:
        if self.record is None:
            return  # built once the patient is loaded
        tab = self.current_tab()
        if tab in (ChartTab.OVERVIEW, ChartTab.HISTORY):
            return
        panel = self.panels.get(tab)
        if panel is None:
            self._build_panel(tab)
        elif tab in self._stale:
            self._stale.discard(tab)
            panel.refresh()

    def _build_panel(self, tab: ChartTab) -> None:
        assert self.record is not None
        if tab in COURSE_TABS and self.course_id is None:
            self._show_empty(tab, NO_COURSE_YET)
            return
        page = self.pages[tab]
        panel = self._make_panel(tab, self.record, self.course_id, page)
        self.panels[tab] = panel
        self._stale.discard(tab)
        self._empty_labels[tab].hide()
        layout = page.layout()
        assert isinstance(layout, QVBoxLayout)
        layout.insertWidget(0, panel, 1)
        panel.show()  # a layout would show it only on a later turn, after a paint

    def _make_panel(
        self, tab: ChartTab, record: PatientRecord, course_id: int | None, page: QWidget
    ) -> Panel:
        ctx = self._ctx
        if tab is ChartTab.COURSE:
            course_panel = CoursePanel(ctx, record, page)
            course_panel.course_changed.connect(lambda: self._on_panel_changed(tab))
            course_panel.courses_table.selectionModel().selectionChanged.connect(
                self._on_course_selection_changed
            )
            self._select_wanted_course(course_panel)
            return course_panel
        if tab is ChartTab.CONSENTS:
            consents = ConsentsPanel(ctx, record.id, page)
            consents.consents_changed.connect(lambda _id: self._on_panel_changed(tab))
            return consents
        assert course_id is not None
        if tab is ChartTab.VISITS:
            visits = VisitsPanel(ctx, course_id, page)
            visits.changed.connect(lambda: self._on_panel_changed(tab))
            return visits
        panel: IpledgePanel | LabsPanel
        if tab is ChartTab.IPLEDGE:
            panel = IpledgePanel(ctx, course_id, page)
        else:
            panel = LabsPanel(ctx, course_id, page)
        panel.course_changed.connect(lambda _id: self._on_panel_changed(tab))
        return panel

    def _show_empty(self, tab: ChartTab, text: str) -> None:
        """Take the tab's panel away, if any, and say why the tab is empty."""
        page = self.pages[tab]
        panel = self.panels.pop(tab, None)
        if panel is not None:
            panel.hide()
            layout = page.layout()
            assert layout is not None
            layout.removeWidget(panel)
            panel.deleteLater()
        self._stale.discard(tab)
        empty = self._empty_labels[tab]
        empty.setText(text)
        empty.show()

    def _on_panel_changed(self, source: ChartTab) -> None:
        """A save in one tab: the header and history follow now, other tabs when shown."""
        self._stale.update(t for t in self.panels if t is not source)
        self.reload()
        self.record_changed.emit()

    def _select_wanted_course(self, course_panel: CoursePanel) -> None:
        """The course the chart was opened for (a worklist item's), once the list is in."""
        wanted = self._wanted_course_id
        if wanted is not None and any(c.id == wanted for c in course_panel.model.records()):
            self._wanted_course_id = None
            if course_panel.selected_course_id() != wanted:
                course_panel.select_course(wanted)

    def _on_course_selection_changed(self) -> None:
        course_panel = self.panels.get(ChartTab.COURSE)
        if not isinstance(course_panel, CoursePanel):
            return
        self._select_wanted_course(course_panel)
        selected = course_panel.selected_course_id()
        if selected is not None and selected != self.course_id:
            self._rebind_course(selected)
            self.reload()

    def _rebind_course(self, course_id: int | None) -> None:
        """The Visits, iPLEDGE and Labs tabs are rebuilt for `course_id` when next shown."""
        self.course_id = course_id
        for tab in COURSE_TABS:
            self._show_empty(tab, LOADING)

    def edit_patient(self) -> None:
        """The form starts from the latest saved version, not the one on screen."""
        try:
            latest = get_patient(self._ctx, self.patient_id)
        except IsoTrackError as error:
            messages.show_error(self, error)
            return
        saved = PatientDialog.ask(self._ctx, self, existing=latest)
        if saved is None:
            return
        consents = self.panels.get(ChartTab.CONSENTS)
        if consents is not None:
            self._stale.add(ChartTab.CONSENTS)  # age and category decide the forms
        self.reload()
        self.patient_changed.emit(saved)
        self.record_changed.emit()
