"""One course's dose: the regimen in capsules, progress to the cumulative target, the
projection, weights and missed days; a calculator; and the actions that change them."""

from decimal import ROUND_HALF_UP, Decimal

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.units import format_decimal, format_weight, round_mg
from desktop.services.context import Context
from desktop.services.course_overview import CourseOverview, get_course_overview
from desktop.services.course_overview import DosePanel as DoseFigures  # not this widget
from desktop.services.course_records import CourseStatus, PauseRecord
from desktop.ui import messages
from desktop.ui.course.dose_calculator_panel import DoseCalculatorPanel
from desktop.ui.course.dose_change_dialog import DoseChangeDialog
from desktop.ui.course.dose_changes_table_model import REASON_COLUMN, DoseChangesTableModel
from desktop.ui.course.missed_days_dialog import MissedDaysDialog
from desktop.ui.course.missed_days_input import days_summary
from desktop.ui.course.post_course_panel import PostCoursePanel
from desktop.ui.course.regimen_text import (
    doses_capsules_text,
    doses_text,
    mg_text,
    product_line,
)
from desktop.ui.course.weight_dialog import WeightDialog
from desktop.ui.course.weights_table_model import WeightsTableModel
from desktop.ui.record_table import set_up_record_table
from desktop.ui.tasks import run_task

PROGRESS_STEPS = 1000
DOSE_CHANGE_ROWS_SHOWN = 3
"""At least this many dose changes in view before the table scrolls."""
LOADING = "Loading…"
NO_DOSE = "No dose recorded for this course yet."


def progress_text(figures: DoseFigures) -> str:
    """'41.3 of 150 mg/kg (28%)': the bar is a glance, so one decimal and whole percent
    (rounded down, so 100% means the target is really reached)."""
    reached = figures.cumulative.cumulative_mg_per_kg.quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )
    percent = int(figures.progress * 100)
    return f"{reached} of {format_decimal(figures.target_mg_per_kg)} mg/kg ({percent}%)"


def projection_text(overview: CourseOverview, figures: DoseFigures) -> str:
    course = overview.course
    if course.status is CourseStatus.ENDED:
        return f"Course ended: last dose on {course.last_dose_on}."
    projection = figures.projection
    if projection.is_reached:
        return f"Target of {format_decimal(projection.target_mg_per_kg)} mg/kg reached."
    if projection.days_to_target is None or projection.projected_last_dose_on is None:
        return "On hold: no projection while no dose is taken."
    return (
        f"Projected last dose {projection.projected_last_dose_on:%a %Y-%m-%d}: "
        f"{projection.days_to_target} more days at {mg_text(figures.mg_per_day)}/day "
        f"({mg_text(round_mg(projection.remaining_mg))} to go)."
    )


def pauses_text(pauses: tuple[PauseRecord, ...]) -> str:
    """One line per pause, with the reasons given: 'Paused 2026-11-10 (acne surgery);
    resumed 2026-11-15 (healed).'"""
    lines = []
    for pause in pauses:
        line = f"Paused {pause.paused_on.isoformat()} ({pause.pause_reason})"
        if pause.resumed_on is None:
            line += "; not resumed yet."
        else:
            line += f"; resumed {pause.resumed_on.isoformat()} ({pause.resume_reason})."
        lines.append(line)
    return "\n".join(lines)


class DosePanel(QWidget):
    """Reloads through `run_task` on `refresh()`. Emits `course_changed` after any save made
    here (dose change, weight, missed days), having started its own refresh."""

    course_changed = Signal()

    def __init__(self, ctx: Context, course_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.course_id = course_id
        self.overview: CourseOverview | None = None
        self._make_widgets()
        self._lay_out()
        self.calculator.apply_requested.connect(self._on_calculator_apply_requested)
        self.record_weight_button.clicked.connect(self._on_record_weight_button_clicked)
        self.record_missed_button.clicked.connect(self._on_record_missed_button_clicked)
        self.refresh()

    def _make_widgets(self) -> None:
        self.status_label = QLabel(LOADING)
        self.status_label.setObjectName("hint")
        self.status_label.setWordWrap(True)
        self.regimen_label = QLabel()
        self.regimen_label.setObjectName("heading")
        self.capsules_label = QLabel()
        self.product_label = QLabel()
        self.product_label.setWordWrap(True)
        self.achieved_label = QLabel()
        self.progress_bar = QProgressBar()
        self.progress_bar.setRange(0, PROGRESS_STEPS)
        self.progress_bar.setTextVisible(True)
        self.cumulative_label = QLabel()
        self.projection_label = QLabel()
        self.projection_label.setWordWrap(True)
        self.missed_days_label = QLabel()
        self.missed_days_label.setWordWrap(True)
        self.pauses_label = QLabel()
        self.pauses_label.setWordWrap(True)
        self.pauses_label.hide()
        self.dose_changes_model = DoseChangesTableModel()
        self.dose_changes_table = QTableView()
        set_up_record_table(
            self.dose_changes_table, self.dose_changes_model, stretch_column=REASON_COLUMN
        )
        self.dose_changes_table.setAccessibleName("Dose changes")
        self.dose_changes_table.setMinimumHeight(DOSE_CHANGE_ROWS_SHOWN * 30 + 32)
        # Whatever height is left, from 90 px up: its own preferred height would make the
        # scroll area below scroll for a course of two or three doses.
        self.dose_changes_table.setSizePolicy(
            QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Ignored
        )
        self.weights_model = WeightsTableModel()
        self.weights_table = QTableView()
        self.weights_table.setModel(self.weights_model)
        self.weights_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.weights_table.verticalHeader().hide()
        self.weights_table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.weights_table.setAccessibleName("Weights")
        self.weights_table.setMinimumHeight(90)
        self.calculator = DoseCalculatorPanel()
        self.post_course_panel = PostCoursePanel()
        self.post_course_panel.hide()
        self.record_weight_button = QPushButton("Record &weight…")
        self.record_missed_button = QPushButton("Record missed &days…")

    def _lay_out(self) -> None:
        self.current_box = QGroupBox("Current dose")
        current_layout = QVBoxLayout(self.current_box)
        capsules_and_achieved = QHBoxLayout()  # one line: the chart is short on height
        capsules_and_achieved.addWidget(self.capsules_label)
        capsules_and_achieved.addStretch(1)
        capsules_and_achieved.addWidget(self.achieved_label)
        current_layout.addWidget(self.regimen_label)
        current_layout.addLayout(capsules_and_achieved)
        current_layout.addWidget(self.product_label)
        progress = QGroupBox("Progress to the cumulative target")
        progress_layout = QVBoxLayout(progress)
        progress_layout.addWidget(self.progress_bar)
        for label in (
            self.cumulative_label,
            self.projection_label,
            self.missed_days_label,
            self.pauses_label,
        ):
            progress_layout.addWidget(label)
        dose_changes = QGroupBox("Dose changes")
        QVBoxLayout(dose_changes).addWidget(self.dose_changes_table)
        actions = QHBoxLayout()  # beside the calculator, never scrolled out of sight
        actions.addWidget(self.record_weight_button)
        actions.addWidget(self.record_missed_button)
        actions.addStretch(1)
        weights = QGroupBox("Weights")
        weights_layout = QVBoxLayout(weights)
        weights_layout.addWidget(self.weights_table)
        weights_layout.addLayout(actions)
        column = QWidget()
        left = QVBoxLayout(column)
        left.setContentsMargins(0, 0, 4, 0)
        left.addWidget(self.status_label)
        left.addWidget(self.post_course_panel)
        left.addWidget(self.current_box)
        left.addWidget(progress)
        left.addWidget(dose_changes, 1)
        # A short chart scrolls rather than squeezing the groups until their text is cut.
        scroll = QScrollArea()
        scroll.setWidget(column)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        right = QVBoxLayout()
        right.addWidget(self.calculator)
        right.addWidget(weights, 1)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(scroll, 3)
        layout.addLayout(right, 2)

    def refresh(self) -> None:
        ctx, course_id = self._ctx, self.course_id
        run_task(
            self,
            lambda: get_course_overview(ctx, course_id),
            self._on_overview_loaded,
            self._on_overview_failed,
        )

    def _on_overview_loaded(self, overview: CourseOverview) -> None:
        self.overview = overview
        figures = overview.dose
        is_open = overview.course.status is not CourseStatus.ENDED
        for button in (
            self.record_weight_button,
            self.record_missed_button,
            self.calculator.apply_button,
        ):
            button.setEnabled(is_open and figures is not None)
        self.weights_model.set_records(tuple(reversed(overview.weights)))
        self.dose_changes_model.set_records(overview.dose_changes)
        self.pauses_label.setText(pauses_text(overview.pauses))
        self.pauses_label.setVisible(bool(overview.pauses))
        post_course = overview.post_course
        if post_course is not None:
            self.post_course_panel.show_status(post_course, overview.on)
        self.post_course_panel.setVisible(post_course is not None)
        # After the last dose there is no current dose to show or change.
        self.current_box.setVisible(is_open)
        self.calculator.setVisible(is_open)
        self.missed_days_label.setText(
            f"Missed days: {days_summary(overview.missed_days)}"
            if overview.missed_days
            else "Missed days: none recorded."
        )
        if figures is None:
            self.status_label.setText(NO_DOSE)
            self.status_label.show()
            self.calculator.set_basis(None, overview.course.product)
            return
        self.status_label.hide()
        self._show_figures(overview, figures)

    def _show_figures(self, overview: CourseOverview, figures: DoseFigures) -> None:
        self.regimen_label.setText(
            f"{doses_text(figures.doses)} = {mg_text(figures.mg_per_day)}/day"
        )
        self.capsules_label.setText(doses_capsules_text(figures.doses))
        self.product_label.setText(product_line(overview.course.product))
        self.achieved_label.setText(
            f"{figures.achieved_mg_per_kg_day} mg/kg/day at {format_weight(figures.weight_kg)}"
        )
        self.progress_bar.setValue(round(figures.progress * PROGRESS_STEPS))
        self.progress_bar.setFormat(progress_text(figures))
        self.cumulative_label.setText(
            f"Cumulative {mg_text(figures.cumulative.cumulative_mg)} = "
            f"{figures.cumulative_mg_per_kg} mg/kg over "
            f"{figures.cumulative.dosing_days} dosing days"
        )
        self.projection_label.setText(projection_text(overview, figures))
        self.calculator.set_basis(figures.weight_kg, overview.course.product)

    def _on_overview_failed(self, error: Exception) -> None:
        self.status_label.setText(f"Could not load this course: {messages.describe(error)}")
        self.status_label.show()

    def _saved(self) -> None:
        self.refresh()
        self.course_changed.emit()

    def _on_calculator_apply_requested(self, mg_per_kg_day: str, product: str) -> None:
        overview = self.overview
        if overview is None or overview.dose is None:
            return
        changed = DoseChangeDialog.ask(
            self._ctx,
            overview.course,
            overview.dose.weight_kg,
            self,
            mg_per_kg_day=mg_per_kg_day,
            product=product,
        )
        if changed is not None:
            self._saved()

    def _on_record_weight_button_clicked(self) -> None:
        if WeightDialog.ask(self._ctx, self.course_id, self) is not None:
            self._saved()

    def _on_record_missed_button_clicked(self) -> None:
        if MissedDaysDialog.ask(self._ctx, self.course_id, self) is not None:
            self._saved()
