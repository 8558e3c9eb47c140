"""A course's iPLEDGE panel: this month's steps and fill window (after the last dose, the
post-course duties instead), first-course readiness, what was recorded, and the buttons to
record the next step (domain.md §1.3–§1.7). A prescriber corrects or voids a signed
counselling confirmation from its records (issue 6, item 11)."""

from collections.abc import Callable
from datetime import date
from itertools import pairwise

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.patients import RISK_CATEGORY_LABELS, RiskCategory
from desktop.rules.pregnancy_tests import PregnancyTestPurpose
from desktop.rules.worklist_items import WorkKind
from desktop.services.context import Context
from desktop.services.course_overview import CourseOverview, get_course_overview
from desktop.services.course_records import CourseStatus
from desktop.services.errors import IsoTrackError
from desktop.services.ipledge_steps import confirm_counseling, record_comprehension
from desktop.services.roles import Role
from desktop.services.signatures import COUNSELING_MEANING
from desktop.ui import messages
from desktop.ui.course.post_course_panel import PostCoursePanel
from desktop.ui.ipledge.contraception_dialog import ContraceptionDialog
from desktop.ui.ipledge.counseling_correction_dialog import CounselingCorrectionDialog
from desktop.ui.ipledge.cycle_panel import CyclePanel
from desktop.ui.ipledge.fill_dialog import FillDialog
from desktop.ui.ipledge.first_course_panel import FirstCoursePanel
from desktop.ui.ipledge.ipledge_records_panel import IpledgeRecordsPanel
from desktop.ui.ipledge.pregnancy_test_dialog import PregnancyTestDialog
from desktop.ui.tasks import run_task

PRESCRIBER_ONLY = "Only a prescriber can confirm counselling in iPLEDGE."
NO_CATEGORY = (
    "No iPLEDGE risk category is assigned: the prescriber assigns one in the patient's "
    "record before the iPLEDGE steps can be tracked."
)
CANNOT_GET_PREGNANT_NOTE = (
    "No pregnancy tests or contraception: the prescriber assigned the category "
    f"“{RISK_CATEGORY_LABELS[RiskCategory.CANNOT_GET_PREGNANT]}”."
)


def counseling_question(today: date) -> str:
    return (
        f"Record that you counselled this patient and confirmed it in iPLEDGE today "
        f"({today.isoformat()})?"
    )


def comprehension_question(today: date) -> str:
    return (
        "Record that the patient answered the iPLEDGE comprehension questions today "
        f"({today.isoformat()})?"
    )


def suggested_purpose(overview: CourseOverview) -> PregnancyTestPurpose:
    """What the next test is most likely for; the nurse can change it."""
    first = overview.first_course
    if first is not None:
        if first.has_screening_test:
            return PregnancyTestPurpose.CONFIRMATION
        return PregnancyTestPurpose.SCREENING
    if overview.course.status is CourseStatus.ENDED:
        return PregnancyTestPurpose.END_OF_COURSE
    return PregnancyTestPurpose.MONTHLY


class IpledgePanel(QWidget):
    """Loads the course overview through `run_task` on `refresh()`; emits `course_changed`
    with the course id after anything is recorded here."""

    course_changed = Signal(int)

    def __init__(self, ctx: Context, course_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self.course_id = course_id
        self.overview: CourseOverview | None = None
        self._make_widgets()
        self._lay_out()
        self.pregnancy_test_button.clicked.connect(self._on_pregnancy_test_button_clicked)
        self.contraception_button.clicked.connect(self._on_contraception_button_clicked)
        self.counseling_button.clicked.connect(self._on_counseling_button_clicked)
        self.comprehension_button.clicked.connect(self._on_comprehension_button_clicked)
        self.fill_button.clicked.connect(self._on_fill_button_clicked)
        self.records_panel.correct_counseling_button.clicked.connect(
            self._on_correct_counseling_button_clicked
        )
        self.refresh()

    def _make_widgets(self) -> None:
        """Every widget is made in its final parent: a table moved into a parent later is
        styled again, and again for each ancestor moved after it (half the first build)."""
        self.hard_stop_label = QLabel(self)
        self.hard_stop_label.setObjectName("hardStopFlag")
        self.hard_stop_label.setWordWrap(True)
        self.hard_stop_label.hide()
        self.pregnancy_test_button = QPushButton("Record &pregnancy test…", self)
        self.contraception_button = QPushButton("Record &contraception…", self)
        self.counseling_button = QPushButton("Confirm co&unselling", self)
        is_prescriber = self._ctx.actor.role is Role.PRESCRIBER
        self.counseling_button.setEnabled(is_prescriber)
        self.counseling_button.setToolTip(
            "Record today's counselling confirmation." if is_prescriber else PRESCRIBER_ONLY
        )
        self.comprehension_button = QPushButton("Comprehension &questions done", self)
        self.comprehension_button.setToolTip(
            "Record that the patient answered the iPLEDGE comprehension questions today."
        )
        self.fill_button = QPushButton("Rec&ord fill…", self)
        self.status_label = QLabel(self)
        self.status_label.setObjectName("error")
        self.status_label.setWordWrap(True)
        self.status_label.hide()
        self.category_label = QLabel(CANNOT_GET_PREGNANT_NOTE, self)
        self.category_label.setObjectName("hint")
        self.category_label.hide()
        self._scroll = QScrollArea(self)
        self._content = QWidget()
        self._scroll.setWidget(self._content)  # while empty: nothing inside to restyle
        self.cycle_panel = CyclePanel(self._content)
        self.post_course_panel = PostCoursePanel(self._content)
        self.post_course_panel.hide()
        self.first_course_panel = FirstCoursePanel(self._content)
        self.first_course_panel.hide()
        self.records_panel = IpledgeRecordsPanel(self._ctx.time_zone, self._content)
        self.records_panel.allow_counseling_corrections(is_prescriber)

    def _buttons(self) -> tuple[QPushButton, ...]:
        return (
            self.pregnancy_test_button,
            self.contraception_button,
            self.fill_button,
            self.counseling_button,
            self.comprehension_button,
        )

    def _lay_out(self) -> None:
        # Two rows, so the panel fits a chart tab of 700 px: dialogs above, one-click
        # attestations below.
        buttons = QGridLayout()
        for column, button in enumerate(
            (self.pregnancy_test_button, self.contraception_button, self.fill_button)
        ):
            buttons.addWidget(button, 0, column)
        buttons.addWidget(self.counseling_button, 1, 0)
        buttons.addWidget(self.comprehension_button, 1, 1)
        buttons.setColumnStretch(3, 1)
        inner = QVBoxLayout(self._content)
        inner.addWidget(self.cycle_panel)
        inner.addWidget(self.post_course_panel)
        inner.addWidget(self.first_course_panel)
        inner.addWidget(self.records_panel)
        inner.addStretch(1)
        scroll = self._scroll
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        layout = QVBoxLayout(self)
        layout.addWidget(self.hard_stop_label)
        layout.addLayout(buttons)
        layout.addWidget(self.status_label)
        layout.addWidget(self.category_label)
        layout.addWidget(scroll, 1)
        chain = (*self._buttons(), self.cycle_panel.steps_table, *self.records_panel.focus_chain())
        for first, second in pairwise(chain):
            self.setTabOrder(first, second)

    def refresh(self) -> None:
        course_id, ctx = self.course_id, self._ctx
        run_task(
            self,
            lambda: get_course_overview(ctx, course_id),
            self._on_overview_loaded,
            self._on_overview_failed,
        )

    def _on_overview_failed(self, error: Exception) -> None:
        self.status_label.setText(messages.describe(error))
        self.status_label.show()

    def _on_overview_loaded(self, overview: CourseOverview) -> None:
        self.overview = overview
        self.status_label.hide()
        self._show_hard_stop(overview)
        category, facts, cycle = overview.category, overview.facts, overview.cycle
        if category is None or facts is None or cycle is None:
            self._show_without_category()
            return
        can_get_pregnant = category is RiskCategory.CAN_GET_PREGNANT
        self._content.show()
        self.category_label.setVisible(not can_get_pregnant)
        for button in (self.pregnancy_test_button, self.contraception_button):
            button.setVisible(can_get_pregnant)
        self.cycle_panel.show_cycle(cycle, category, overview.items, overview.on)
        # After the last dose there is no month's prescription or fill window to work
        # towards: what is owed now is the post-course follow-up (domain.md §1.7).
        post_course = overview.post_course
        if post_course is not None:
            self.post_course_panel.show_status(post_course, overview.on)
        self.post_course_panel.setVisible(post_course is not None)
        self.cycle_panel.setVisible(post_course is None)
        first = overview.first_course
        if first is not None:
            self.first_course_panel.show_status(first, facts.pregnancy_tests)
        self.first_course_panel.setVisible(first is not None)
        self.records_panel.show_facts(facts, overview.fills, overview.counseling_confirmations)
        self.records_panel.show_pregnancy_sections(can_get_pregnant)

    def _show_hard_stop(self, overview: CourseOverview) -> None:
        positive = [i for i in overview.items if i.kind is WorkKind.PREGNANCY_TEST_POSITIVE]
        self.hard_stop_label.setText("\n".join(i.message for i in positive))
        self.hard_stop_label.setVisible(bool(positive))

    def _show_without_category(self) -> None:
        self.status_label.setText(NO_CATEGORY)
        self.status_label.show()
        self.category_label.hide()
        self._content.hide()

    def _after_saving(self) -> None:
        self.refresh()
        self.course_changed.emit(self.course_id)

    def _on_pregnancy_test_button_clicked(self) -> None:
        purpose = (
            PregnancyTestPurpose.MONTHLY
            if self.overview is None
            else suggested_purpose(self.overview)
        )
        if PregnancyTestDialog.ask(self._ctx, self.course_id, self, purpose) is not None:
            self._after_saving()

    def _on_contraception_button_clicked(self) -> None:
        if ContraceptionDialog.ask(self._ctx, self.course_id, self) is not None:
            self._after_saving()

    def _on_fill_button_clicked(self) -> None:
        if FillDialog.ask(self._ctx, self.course_id, self) is not None:
            self._after_saving()

    def _on_counseling_button_clicked(self) -> None:
        """A prescriber's signed attestation: their password again (issue 6, item 11)."""
        today = self._ctx.today()
        question = (
            f"{counseling_question(today)}\n\n{COUNSELING_MEANING}\nType your password to sign."
        )
        password = messages.ask_password(self, question)
        if password is None:
            return
        self._record_today(
            None, lambda ctx, course_id, day: confirm_counseling(ctx, course_id, day, password)
        )

    def _on_correct_counseling_button_clicked(self) -> None:
        """The service refuses anyone but a prescriber, and a correction by anyone but the
        prescriber who signed; the dialog shows its words."""
        signed = self.records_panel.selected_counseling()
        if signed is None:
            return
        if CounselingCorrectionDialog.ask(self._ctx, signed, self) is not None:
            self._after_saving()

    def _on_comprehension_button_clicked(self) -> None:
        today = self._ctx.today()
        self._record_today(comprehension_question(today), record_comprehension)

    def _record_today(
        self, question: str | None, action: Callable[[Context, int, date], int]
    ) -> None:
        """One-click steps are dated today and asked about first: each is an attestation
        (`question` None: the caller has asked already)."""
        if question is not None and not messages.confirm(self, question):
            return
        try:
            action(self._ctx, self.course_id, self._ctx.today())
        except IsoTrackError as error:  # NotAllowed for a nurse who got here anyway
            messages.show_error(self, error)
            return
        self._after_saving()
