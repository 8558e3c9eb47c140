"""A patient's courses, newest first and all selectable, the actions on the selected one,
and its dose panel; the chart shows it as its "Course" tab."""

from PySide6.QtCore import QItemSelectionModel, Signal
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
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_records import CourseRecord, CourseStatus
from desktop.services.records import PatientRecord
from desktop.ui import messages
from desktop.ui.course.course_action_dialog import CourseAction, CourseActionDialog
from desktop.ui.course.courses_table_model import CoursesTableModel
from desktop.ui.course.dose_panel import DosePanel
from desktop.ui.course.start_course_dialog import StartCourseDialog
from desktop.ui.tasks import run_task
from desktop.ui.visit.visit_dialog import VisitDialog

NO_COURSE = "No course yet. Start one with “Start course…”."
OPEN_COURSE_TIP = "This patient already has a course that has not ended."
COURSE_TABLE_ROWS = 4


class CoursePanel(QWidget):
    """Self-contained: give it the context and the patient, place it, call `refresh()` when
    the patient changes elsewhere. Emits `course_changed` after any save made here."""

    course_changed = Signal()

    def __init__(self, ctx: Context, patient: PatientRecord, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.patient = patient
        self.dose_panel: DosePanel | None = None
        self._select_after_load: int | None = None
        self._has_listed = False
        self.model = CoursesTableModel()
        self.courses_table = QTableView()
        self.courses_table.setModel(self.model)
        self.courses_table.setAccessibleName("Courses")
        self.courses_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.courses_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.courses_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.courses_table.verticalHeader().hide()
        self.courses_table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents
        )
        self.courses_table.horizontalHeader().setStretchLastSection(True)
        self.start_button = QPushButton("Start &course…")
        self.visit_button = QPushButton("Rec&ord visit…")
        self.pause_button = QPushButton("Pa&use…")
        self.resume_button = QPushButton("Resu&me…")
        self.end_button = QPushButton("End cour&se…")
        self.placeholder_label = QLabel(NO_COURSE)
        self.placeholder_label.setObjectName("emptyState")
        self._lay_out()
        self.courses_table.selectionModel().selectionChanged.connect(self._on_selection_changed)
        self.start_button.clicked.connect(self._on_start_button_clicked)
        self.visit_button.clicked.connect(self._on_visit_button_clicked)
        self.pause_button.clicked.connect(self._on_pause_button_clicked)
        self.resume_button.clicked.connect(self._on_resume_button_clicked)
        self.end_button.clicked.connect(self._on_end_button_clicked)
        self._update_buttons()
        self.refresh()

    def _lay_out(self) -> None:
        actions = QHBoxLayout()
        for button in (
            self.start_button,
            self.visit_button,
            self.pause_button,
            self.resume_button,
            self.end_button,
        ):
            actions.addWidget(button)
        actions.addStretch(1)
        self._fit_courses_table(1)
        self._dose_area = QVBoxLayout()
        self._dose_area.addWidget(self.placeholder_label)
        layout = QVBoxLayout(self)
        layout.addLayout(actions)
        layout.addWidget(self.courses_table)
        layout.addLayout(self._dose_area, 1)

    def _fit_courses_table(self, rows: int) -> None:
        """As tall as its courses, up to COURSE_TABLE_ROWS (then it scrolls): the dose
        panel below wants the height."""
        header_height = self.courses_table.horizontalHeader().sizeHint().height()
        row_height = self.courses_table.verticalHeader().defaultSectionSize()
        shown = min(max(rows, 1), COURSE_TABLE_ROWS)
        self.courses_table.setFixedHeight(header_height + row_height * shown + 4)

    def set_patient(self, patient: PatientRecord) -> None:
        """The patient as edited elsewhere (flags decide whether a course may start)."""
        self.patient = patient

    def refresh(self) -> None:
        ctx, patient_id = self._ctx, self.patient.id
        run_task(
            self,
            lambda: list_courses(ctx, patient_id),
            self._on_courses_loaded,
            self._on_courses_failed,
        )

    def selected_course(self) -> CourseRecord | None:
        rows = self.courses_table.selectionModel().selectedRows()
        return self.model.record_at(rows[0].row()) if rows else None

    def selected_course_id(self) -> int | None:
        course = self.selected_course()
        return course.id if course else None

    def select_course(self, course_id: int) -> None:
        """Select the patient's course `course_id` and show its dose panel. Asked before the
        list has been read (it is read in the background), it is selected once it is in; a
        course the patient does not have leaves the selection as it is."""
        rows = [i for i, c in enumerate(self.model.records()) if c.id == course_id]
        if not rows:
            if not self._has_listed:
                self._select_after_load = course_id
            return
        self.courses_table.selectionModel().select(
            self.model.index(rows[0], 0),
            QItemSelectionModel.SelectionFlag.ClearAndSelect
            | QItemSelectionModel.SelectionFlag.Rows,
        )
        self.courses_table.setCurrentIndex(self.model.index(rows[0], 0))

    def _on_courses_loaded(self, courses: tuple[CourseRecord, ...]) -> None:
        wanted = (self._select_after_load, self.selected_course_id())
        self._select_after_load = None
        self._has_listed = True
        self.model.set_records(courses)
        self._fit_courses_table(len(courses))
        listed = {c.id for c in courses}
        keep = next((i for i in wanted if i in listed), None)
        if not courses:
            self._show_dose_panel(None)
        else:
            self.select_course(courses[0].id if keep is None else keep)  # else the newest
        self._update_buttons()

    def _on_courses_failed(self, error: Exception) -> None:
        messages.show_error(self, error)

    def _on_selection_changed(self) -> None:
        self._show_dose_panel(self.selected_course_id())
        self._update_buttons()

    def _show_dose_panel(self, course_id: int | None) -> None:
        current = self.dose_panel
        if current is not None and current.course_id == course_id:
            current.refresh()
            return
        if current is not None:
            self._dose_area.removeWidget(current)
            current.deleteLater()
            self.dose_panel = None
        self.placeholder_label.setVisible(course_id is None)
        if course_id is not None:
            self.dose_panel = DosePanel(self._ctx, course_id)
            self.dose_panel.course_changed.connect(self._on_dose_panel_course_changed)
            self._dose_area.addWidget(self.dose_panel)

    def _update_buttons(self) -> None:
        courses = self.model.records()
        has_open = any(c.status is not CourseStatus.ENDED for c in courses)
        self.start_button.setEnabled(not has_open)
        self.start_button.setToolTip(OPEN_COURSE_TIP if has_open else "")
        selected = self.selected_course()
        status = selected.status if selected else None
        self.visit_button.setEnabled(status in (CourseStatus.ACTIVE, CourseStatus.PAUSED))
        self.pause_button.setEnabled(status is CourseStatus.ACTIVE)
        self.resume_button.setEnabled(status is CourseStatus.PAUSED)
        self.end_button.setEnabled(status in (CourseStatus.ACTIVE, CourseStatus.PAUSED))

    def _changed(self, select: int | None = None) -> None:
        self._select_after_load = select
        self.refresh()
        self.course_changed.emit()

    def _on_dose_panel_course_changed(self) -> None:
        self.refresh()
        self.course_changed.emit()

    def _on_start_button_clicked(self) -> None:
        course = StartCourseDialog.ask(self._ctx, self.patient, self)
        if course is not None:
            self._changed(course.id)

    def _on_visit_button_clicked(self) -> None:
        course = self.selected_course()
        if course is not None and VisitDialog.ask(self._ctx, course, self) is not None:
            self._changed()

    def _act(self, action: CourseAction) -> None:
        course = self.selected_course()
        if course is not None and CourseActionDialog.ask(self._ctx, course, action, self):
            self._changed()

    def _on_pause_button_clicked(self) -> None:
        self._act(CourseAction.PAUSE)

    def _on_resume_button_clicked(self) -> None:
        self._act(CourseAction.RESUME)

    def _on_end_button_clicked(self) -> None:
        self._act(CourseAction.END)
