"""The main window: navigation, the signed-in user's views, and locking the screen."""

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QMainWindow,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from desktop.services.clinic_setup import DEFAULT_IDLE_LOCK_MINUTES, get_clinic_settings
from desktop.services.context import Context
from desktop.services.errors import IsoTrackError
from desktop.services.roles import Permission, can
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.chart.patient_chart_view import PatientChartView
from desktop.ui.idle_lock import LOCKED_TITLE, CoveredWindows, IdleLock
from desktop.ui.lazy_page import LazyPage
from desktop.ui.login.login_dialog import LoginDialog
from desktop.ui.patients.patients_view import PatientsView
from desktop.ui.printing.print_batch_dialog import BatchKind, PrintBatchDialog
from desktop.ui.screens import available_geometry
from desktop.ui.settings.clinic_forms_dialog import ClinicFormsDialog
from desktop.ui.settings.clinic_settings_dialog import ClinicSettingsDialog
from desktop.ui.settings.consent_templates_dialog import ConsentTemplatesDialog
from desktop.ui.staff.staff_table_model import ROLE_LABELS
from desktop.ui.staff.staff_view import StaffView
from desktop.ui.worklist.worklist_view import WorklistView

WORKLIST = "Worklist"
PATIENTS = "Patients"
STAFF = "Staff"
MIN_SIZE_PX = (1180, 760)
SCREEN_SHARE = 0.92
INPUT_WATCH_AT_LATEST_MS = 2000
"""The idle lock watches input from just after the worklist's first paint, or from this
long after sign-in if the worklist could not be read."""
LOCKED_TEXT = "IsoTrack is locked. Patient information is hidden until someone signs in."


def unsaved_form_warning(name: str) -> str:
    return (
        f"The window is locked. {name} has a form open: {name} can sign in to go on with it; "
        "anyone else signing in closes it without saving."
    )


class MainWindow(QMainWindow):
    """Built for one signed-in user. Locking (Ctrl+L, or the clinic's idle minutes without
    input) hides every view behind a locked page, covers every other open window, and asks
    for a sign-in; the same user gets their screen back as they left it, open forms and
    typed values included; a different user gets fresh views built for their role, and the
    previous user's open forms are closed unsaved."""

    def __init__(self, ctx: Context, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.is_locked = False
        self.unlock_dialog: LoginDialog | None = None
        self.covered: CoveredWindows | None = None
        self.chart: PatientChartView | None = None
        self._chart_stack: QStackedWidget | None = None
        self.page_titles: list[str] = []
        # Containers first, each widget made in its final parent: a widget moved into a
        # parent later is styled again, and again for each ancestor moved after it.
        self.screens = QStackedWidget(self)
        self.setCentralWidget(self.screens)
        self.work_area = self._make_work_area()
        self.locked_page = self._make_locked_page()
        self.screens.addWidget(self.work_area)
        self.screens.addWidget(self.locked_page)
        self.user_label = QLabel()
        self.user_label.setObjectName("hint")
        self.statusBar().addPermanentWidget(self.user_label)  # menus' hints never wipe it
        self.idle_lock = IdleLock(DEFAULT_IDLE_LOCK_MINUTES, self, watching=False)
        self.idle_lock.idle_timed_out.connect(self.lock)
        self.idle_lock.lock_requested.connect(self.lock)
        self._watch_input_after_first_paint()
        self._make_menus()
        self._show_user()
        self.idle_lock.start()
        self._fit_to_screen()
        self.worklist_view.setFocus()  # where the day starts

    def _watch_input_after_first_paint(self) -> None:
        """The idle lock's first input event costs ~50 ms once per process (IdleLock.
        watch_input); paid after the worklist is painted, it no longer delays it. A turn of
        the event loop after the load, the repaint it asked for has been done."""
        if self.worklist_view.screen_data is not None:
            QTimer.singleShot(0, self, self.idle_lock.watch_input)
        else:
            self.worklist_view.loaded.connect(
                lambda: QTimer.singleShot(0, self, self.idle_lock.watch_input),
                Qt.ConnectionType.SingleShotConnection,
            )
        QTimer.singleShot(INPUT_WATCH_AT_LATEST_MS, self, self.idle_lock.watch_input)

    def _fit_to_screen(self) -> None:
        """Most of the screen (the worklist's messages and the chart's panels want width
        and height), never less than a laptop's worth."""
        width, height = MIN_SIZE_PX
        available = available_geometry(self)
        if available is not None:
            width = max(width, int(available.width() * SCREEN_SHARE))
            height = max(height, int(available.height() * SCREEN_SHARE))
        self.resize(width, height)

    def _make_locked_page(self) -> QWidget:
        page = QWidget(self.screens)
        text = QLabel(LOCKED_TEXT, page)
        text.setObjectName("emptyState")
        text.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.unlock_button = QPushButton("&Unlock or switch user…", page)
        self.unlock_button.clicked.connect(self._open_unlock_dialog)
        layout = QVBoxLayout(page)
        layout.addSpacing(40)  # above the sign-in dialog, which opens over the middle
        layout.addWidget(text)
        layout.addWidget(self.unlock_button, 0, Qt.AlignmentFlag.AlignCenter)
        layout.addStretch(1)
        return page

    def _make_work_area(self) -> QWidget:
        """Every view that shows patient data lives in here, built for `self.ctx`. Only the
        worklist is built now; the other pages are built when first opened."""
        area = QWidget(self.screens)
        self.nav_list = QListWidget(area)
        self.nav_list.setObjectName("navigation")
        self.nav_list.setFixedWidth(170)
        self.page_titles = []
        self.pages = QStackedWidget(area)
        self.worklist_stack = QStackedWidget(self.pages)
        self.worklist_view = WorklistView(self.ctx, self.worklist_stack)
        self.worklist_view.chart_requested.connect(self._on_worklist_view_chart_requested)
        self.worklist_view.attention_count_changed.connect(self._show_attention_count)
        self.worklist_stack.addWidget(self.worklist_view)
        self.patients_stack = QStackedWidget(self.pages)
        self.patients_page = LazyPage(self._make_patients_view, self.patients_stack)
        self.patients_stack.addWidget(self.patients_page)
        self.staff_page: LazyPage[StaffView] | None = None
        self._add_page(WORKLIST, self.worklist_stack)
        self._add_page(PATIENTS, self.patients_stack)
        if can(self.ctx.actor.role, Permission.MANAGE_STAFF):
            ctx = self.ctx
            self.staff_page = LazyPage(lambda: StaffView(ctx), self.pages)
            self._add_page(STAFF, self.staff_page)
        self.nav_list.currentRowChanged.connect(self._on_nav_list_current_row_changed)
        self.nav_list.setCurrentRow(0)
        if (loaded := self.worklist_view.screen_data) is not None:  # loaded while built
            self._show_attention_count(loaded.needs_attention)
        layout = QHBoxLayout(area)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.nav_list)
        layout.addWidget(self.pages, 1)
        return area

    def _make_patients_view(self) -> PatientsView:
        view = PatientsView(self.ctx)
        view.chart_requested.connect(self.open_chart)
        return view

    @property
    def patients_view(self) -> PatientsView:
        """The Patients page's list, built the first time anything needs it."""
        return self.patients_page.content()

    @property
    def staff_view(self) -> StaffView | None:
        """The Staff page's view for those who may manage staff, built when first needed."""
        return self.staff_page.content() if self.staff_page is not None else None

    def _on_nav_list_current_row_changed(self, row: int) -> None:
        self.pages.setCurrentIndex(row)
        page = self.pages.currentWidget()
        if isinstance(page, QStackedWidget):
            page = page.currentWidget()
        if isinstance(page, LazyPage):
            page = page.content()  # built even while the window is still hidden
        if page is not None and not self.nav_list.hasFocus():
            page.setFocus()

    def _add_page(self, title: str, page: QWidget) -> None:
        self.page_titles.append(title)
        self.nav_list.addItem(title)
        self.pages.addWidget(page)

    def _show_attention_count(self, count: int) -> None:
        """'Worklist (15)': overdue plus due today, across the clinic."""
        item = self.nav_list.item(self.page_titles.index(WORKLIST))
        item.setText(f"{WORKLIST} ({count:,})" if count else WORKLIST)
        item.setToolTip(f"{count:,} overdue or due today")

    def _make_menus(self) -> None:
        file_menu = self.menuBar().addMenu("&File")
        self.lock_action = QAction("&Lock", self)
        self.lock_action.setShortcut(QKeySequence("Ctrl+L"))
        self.lock_action.triggered.connect(self.lock)
        quit_action = QAction("&Quit", self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(self.close)
        self.settings_action = QAction("Clinic &settings…", self)
        self.settings_action.triggered.connect(self.edit_clinic_settings)
        # Everyone may look at the clinic's forms and consent wording; only an administrator
        # may change them (the dialogs say so to anyone else).
        self.clinic_forms_action = QAction("Clinic PDF &forms…", self)
        self.clinic_forms_action.setStatusTip("The clinic's own PDF forms added to consent packets")
        self.clinic_forms_action.triggered.connect(self.show_clinic_forms)
        self.consent_templates_action = QAction("Consent &templates…", self)
        self.consent_templates_action.setStatusTip("The consent wording in force and its versions")
        self.consent_templates_action.triggered.connect(self.show_consent_templates)
        file_menu.addAction(self.lock_action)
        file_menu.addAction(self.settings_action)
        file_menu.addAction(self.clinic_forms_action)
        file_menu.addAction(self.consent_templates_action)
        file_menu.addSeparator()
        print_menu = file_menu.addMenu("&Print today's")
        for kind in BatchKind:
            action = QAction(f"{kind.value.capitalize()}…", self)
            action.triggered.connect(lambda _=False, k=kind: self.print_today(k))
            print_menu.addAction(action)
        self.print_today_menu = print_menu
        file_menu.addSeparator()
        file_menu.addAction(quit_action)
        go_menu = self.menuBar().addMenu("&Go")
        for number, title in enumerate((WORKLIST, PATIENTS, STAFF), start=1):
            action = QAction(title, self)
            action.setShortcut(QKeySequence(f"Ctrl+{number}"))
            action.triggered.connect(lambda _=False, t=title: self.go_to(t))
            go_menu.addAction(action)
        self.go_menu = go_menu

    def print_today(self, kind: BatchKind) -> None:
        """Documents for the patients seen or due today, as one batch (issue 5)."""
        PrintBatchDialog.print_today(self.ctx, kind, self)

    def go_to(self, title: str) -> None:
        if title in self.page_titles and not self.is_locked:
            self.nav_list.setCurrentRow(self.page_titles.index(title))

    def _show_user(self) -> None:
        """Title, status line, the admin's settings item and the clinic's idle minutes."""
        actor = self.ctx.actor
        try:
            settings = get_clinic_settings(self.ctx)
            clinic_name, minutes = settings.clinic_name, settings.idle_lock_minutes
        except IsoTrackError:
            clinic_name, minutes = "clinic not set up", DEFAULT_IDLE_LOCK_MINUTES
        self.setWindowTitle(
            f"IsoTrack — {clinic_name} — {actor.display_name} ({ROLE_LABELS[actor.role]})"
        )
        self.user_label.setText(
            f"Signed in as {actor.display_name} on {self.ctx.clinic.workstation}"
        )
        self.settings_action.setVisible(can(actor.role, Permission.EDIT_CLINIC_SETTINGS))
        self.idle_lock.set_minutes(minutes)

    def edit_clinic_settings(self) -> None:
        if self.is_locked or not can(self.ctx.actor.role, Permission.EDIT_CLINIC_SETTINGS):
            return
        if ClinicSettingsDialog.ask(self.ctx, self) is not None:
            self._show_user()
            # The rules in force follow the settings: the saved worklist was recomputed.
            self.worklist_view.refresh()

    def show_clinic_forms(self) -> None:
        """Administrators add, replace, reorder and retire forms; others only look."""
        if not self.is_locked:
            ClinicFormsDialog.open_for(self.ctx, self)

    def show_consent_templates(self) -> None:
        """Administrators add template versions; others only read the wording in force."""
        if not self.is_locked:
            ConsentTemplatesDialog.open_for(self.ctx, self)

    def _on_worklist_view_chart_requested(self, patient_id: int, course_id: int, tab: str) -> None:
        self.open_chart(patient_id, tab=ChartTab(tab), course_id=course_id, from_page=WORKLIST)

    def open_chart(
        self,
        patient_id: int,
        *,
        tab: ChartTab = ChartTab.OVERVIEW,
        course_id: int | None = None,
        from_page: str = PATIENTS,
    ) -> None:
        """Open the chart over the list it was asked from; Back returns to that list."""
        self.close_chart()
        stack = self.worklist_stack if from_page == WORKLIST else self.patients_stack
        # Made in the stack it is shown in: added from outside, it would be styled again.
        chart = PatientChartView(
            self.ctx, patient_id, stack, course_id=course_id, tab=tab, back_to=from_page
        )
        chart.back_requested.connect(self.close_chart)
        chart.patient_changed.connect(lambda _record: self._refresh_patients())
        chart.record_changed.connect(self.worklist_view.refresh)
        self.chart, self._chart_stack = chart, stack
        stack.addWidget(chart)
        stack.setCurrentWidget(chart)
        self.go_to(from_page)
        chart.tabs.setFocus()

    def _refresh_patients(self) -> None:
        """A list not built yet will search when it is first shown."""
        if self.patients_page.is_built:
            self.patients_view.refresh()

    def close_chart(self) -> None:
        chart, stack = self.chart, self._chart_stack
        self.chart = self._chart_stack = None
        if chart is None or stack is None:
            return
        stack.removeWidget(chart)
        chart.deleteLater()
        # The Patients list sits in its lazily built page: the stack holds the page.
        home: QWidget = self.worklist_view if stack is self.worklist_stack else self.patients_page
        stack.setCurrentWidget(home)
        home.setFocus()

    def lock(self) -> None:
        """Hide patient data at once, in this window and every other one, then ask who is
        signing in."""
        if self.is_locked:
            return
        self.is_locked = True
        self.idle_lock.stop()
        self.covered = CoveredWindows((self,), self._open_unlock_dialog)
        self.screens.setCurrentWidget(self.locked_page)
        self._enable_navigation(False)
        self.setWindowTitle(LOCKED_TITLE)
        self.statusBar().clearMessage()
        self.user_label.clear()
        self._open_unlock_dialog()

    def _enable_navigation(self, enabled: bool) -> None:
        """Quit stays available while locked: it shows nothing."""
        clinic_actions = (
            self.settings_action,
            self.clinic_forms_action,
            self.consent_templates_action,
        )
        for action in (self.lock_action, *clinic_actions, *self.go_menu.actions()):
            action.setEnabled(enabled)
        self.go_menu.setEnabled(enabled)

    def _open_unlock_dialog(self) -> None:
        """Application-modal, above any covered dialog: nothing else takes input meanwhile."""
        if self.unlock_dialog is not None:
            self.unlock_dialog.raise_()
            self.unlock_dialog.activateWindow()
            return
        dialog = LoginDialog(self.ctx.clinic, self, username=self.ctx.actor.username)
        if self.covered is not None and self.covered.has_forms():
            dialog.hint_label.setText(unsaved_form_warning(self.ctx.actor.display_name))
            dialog.hint_label.setWordWrap(True)
        dialog.setWindowModality(Qt.WindowModality.ApplicationModal)
        dialog.finished.connect(self._on_unlock_dialog_finished)
        self.unlock_dialog = dialog
        dialog.show()

    def _on_unlock_dialog_finished(self, _result: int) -> None:
        dialog, self.unlock_dialog = self.unlock_dialog, None
        signed_in = dialog.result_context if dialog is not None else None
        if dialog is not None:
            dialog.deleteLater()
        if signed_in is None:
            self.unlock_button.setFocus()
            return
        covered, self.covered = self.covered, None
        discarded = ""
        if signed_in.actor.user_id != self.ctx.actor.user_id:
            if covered is not None and covered.has_forms():
                discarded = f"{self.ctx.actor.display_name}'s open form was closed without saving."
            if covered is not None:
                covered.discard()
            self._switch_user(signed_in)
        elif covered is not None:
            covered.uncover()
        self.ctx = signed_in
        self.is_locked = False
        self._enable_navigation(True)
        self.screens.setCurrentWidget(self.work_area)
        self._show_user()
        if discarded:
            self.statusBar().showMessage(discarded)
        self.idle_lock.start()

    def _switch_user(self, ctx: Context) -> None:
        """Throw away the previous user's views, open charts and typed searches included."""
        old = self.work_area
        self.ctx = ctx
        self.chart = self._chart_stack = None
        self.work_area = self._make_work_area()
        self.screens.insertWidget(0, self.work_area)
        self.screens.removeWidget(old)
        old.deleteLater()
        self.worklist_view.setFocus()
