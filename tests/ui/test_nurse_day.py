"""A nurse's whole first course in the app, through the real widgets (issue 4, Done when): a
new patient from the Patients page (Ctrl+N), her chart, a course started, consents signed,
the screening test, contraception, the confirmation test, counselling confirmed by the
prescriber at her own sign-in, the comprehension questions and the first fill; three monthly
visits in the visit dialog, each with its test, counselling, questions and fill; the end of
the course and the two pregnancy tests after it. After every step the worklist is read as
the nurse reads it. The clinic's clock moves from day to day as the weeks go by.

Only the password prompt for a prescriber's signature is answered at its single entry point
(`messages.ask_password`), as the other tests of signed steps do; the comprehension question
is answered Yes in the real message box."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt, QTimer
from PySide6.QtWidgets import QApplication, QComboBox, QDialog, QMessageBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.rules.mood import PHQ9_ITEM_COUNT
from desktop.rules.pregnancy_tests import PregnancyTestPurpose
from desktop.rules.side_effects import EffectSeverity, SideEffect
from desktop.rules.worklist_items import WorkKind
from desktop.services.context import Context, FixedClock
from desktop.ui import messages
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.chart.patient_chart_view import PatientChartView
from desktop.ui.consents.consent_sign_dialog import ConsentSignDialog
from desktop.ui.consents.consents_panel import ConsentsPanel
from desktop.ui.course.course_action_dialog import CourseActionDialog
from desktop.ui.course.course_panel import CoursePanel
from desktop.ui.course.start_course_dialog import StartCourseDialog
from desktop.ui.ipledge.contraception_dialog import ContraceptionDialog
from desktop.ui.ipledge.fill_dialog import FillDialog
from desktop.ui.ipledge.ipledge_panel import IpledgePanel
from desktop.ui.ipledge.pregnancy_test_dialog import PregnancyTestDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.patients.patient_dialog import PatientDialog
from desktop.ui.visit.visit_dialog import VisitDialog
from desktop.ui.visit.visits_panel import VisitsPanel
from desktop.ui.worklist.worklist_table_model import KIND_WORDS
from tests.conftest import PASSWORD
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import answer_modal, type_text

CLICK = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
MRN = "A-2040"
CLOCK_TIME = time(15, 30)
"""Mid-morning in the clinic's time zone (America/New_York), so the date is the same."""
ENROLLED = date(2026, 11, 20)
CONTRACEPTION_FROM = date(2026, 10, 15)
FIRST_FILL = date(2026, 12, 9)
"""19 days after the screening test (domain.md §1.3), with 30 days of contraception."""
MONTH = timedelta(days=28)
LAST_DOSE = FIRST_FILL + 3 * MONTH + timedelta(days=7)
POST_COURSE_TEST = date(2027, 4, 10)
"""A month after the last dose (domain.md §1.7)."""
FIRST_MONTH = (
    "Comprehension questions",
    "Confirmation pregnancy test",
    "Counselling confirmation",
)
MONTHLY = (
    "Comprehension questions",
    "Counselling confirmation",
    "Monthly pregnancy test",
    "Visit",
)
D = TypeVar("D", bound=QDialog)


def _go_to(clock: FixedClock, day: date) -> None:
    clock.instant = datetime.combine(day, CLOCK_TIME, tzinfo=UTC)


def _answer(qtbot: QtBot, kind: type[D], fill: Callable[[D], None], button: QWidget) -> D:
    """Click `button`, which opens a modal `kind`; `fill` types into it and saves."""
    seen = answer_modal(kind, fill)
    qtbot.mouseClick(button, CLICK)
    assert seen, f"{kind.__name__} did not open"
    dialog = seen[0]
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.findChild(QWidget, "error")
    return dialog


def _type_date(qtbot: QtBot, box: QWidget, day: date) -> None:
    box.clear()  # type: ignore[attr-defined]
    qtbot.keyClicks(box, day.isoformat())


def _choose(box: QComboBox, text: str) -> None:
    found = box.findText(text, Qt.MatchFlag.MatchStartsWith)
    assert found >= 0, text
    box.setCurrentIndex(found)


def _worklist(qtbot: QtBot, window: MainWindow) -> dict[str, str]:
    """Our patient's rows as the nurse reads them after Reload (F5): kind → status. Labs are
    left out: no results are entered here (tests/ui/test_labs_panel.py enters them), so the
    baseline panel stays due throughout."""
    view = window.worklist_view
    with qtbot.waitSignal(view.loaded):
        qtbot.mouseClick(view.reload_button, CLICK)
    model = view.model
    rows = {}
    for row in range(model.rowCount()):
        record = model.record_at(row)
        if record.mrn == MRN and record.kind is not WorkKind.LAB:
            rows[KIND_WORDS[record.kind]] = model.data(model.index(row, 1))
    return rows


def _activate(qtbot: QtBot, window: MainWindow) -> None:
    """Back to the main window after a dialog: shortcuts reach only the active window (the
    offscreen platform may leave a closed dialog active, and QtBot.waitActive counts a
    window's dialogs as the window)."""
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)


def _sign_in(qtbot: QtBot, window: MainWindow, username: str) -> None:
    """Ctrl+L, then the locked window's sign-in as `username`."""
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_L, CTRL)
    dialog = window.unlock_dialog
    assert dialog is not None
    dialog.username_input.clear()
    qtbot.keyClicks(dialog.username_input, username)
    qtbot.keyClicks(dialog.password_input, PASSWORD)
    qtbot.mouseClick(dialog.sign_in_button, CLICK)
    assert window.ctx.actor.username == username
    assert not window.is_locked


def _open_from_worklist(
    qtbot: QtBot, window: MainWindow, kind: WorkKind, tab: ChartTab
) -> PatientChartView:
    """Ctrl+1, the patient's `kind` row, Enter: the chart opens on `tab`."""
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_1, CTRL)
    view = window.worklist_view
    _worklist(qtbot, window)
    rows = [
        r
        for r in range(view.model.rowCount())
        if view.model.record_at(r).mrn == MRN and view.model.record_at(r).kind is kind
    ]
    assert rows, f"no {kind} row"
    view.table.setCurrentIndex(view.model.index(rows[0], 0))
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    chart = window.chart
    assert chart is not None
    assert chart.current_tab() is tab
    return chart


def _panel(chart: PatientChartView, tab: ChartTab) -> QWidget:
    chart.show_tab(tab)
    panel = chart.panels[tab]
    return panel


def _ipledge(chart: PatientChartView) -> IpledgePanel:
    panel = _panel(chart, ChartTab.IPLEDGE)
    assert isinstance(panel, IpledgePanel)
    return panel


def _course_panel(chart: PatientChartView) -> CoursePanel:
    panel = _panel(chart, ChartTab.COURSE)
    assert isinstance(panel, CoursePanel)
    return panel


def _rows(model: QAbstractItemModel) -> list[list[str]]:
    return [
        [model.data(model.index(row, column)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def _after_the_course(panel: CoursePanel) -> dict[str, str]:
    dose_panel = panel.dose_panel
    assert dose_panel is not None
    assert dose_panel.post_course_panel.isVisible()
    return dose_panel.post_course_panel.shown_rows()


def _steps(panel: IpledgePanel) -> dict[str, str]:
    model = panel.cycle_panel.steps_model
    return {
        model.data(model.index(r, 0)): model.data(model.index(r, 1))
        for r in range(model.rowCount())
    }


def _register_patient(qtbot: QtBot, window: MainWindow) -> PatientChartView:
    """Patients page (Ctrl+2), Ctrl+N, the form typed in, Save; Enter opens her chart."""
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    patients = window.patients_view

    def fill(dialog: PatientDialog) -> None:
        form = dialog.form
        qtbot.keyClicks(form.mrn_input, MRN)
        type_text(form.legal_name_input, "Inès Lindqvist-Ørsted")
        qtbot.keyClicks(form.birth_date_input, "2002-07-09")
        _choose(form.sex_input, "Female")
        form.risk_category_input.setCurrentIndex(
            form.risk_category_input.findData("can_get_pregnant")
        )
        qtbot.keyClicks(form.ipledge_id_input, "1234567890")
        qtbot.mouseClick(dialog.save_button, CLICK)

    seen = answer_modal(PatientDialog, fill)
    with qtbot.waitSignal(patients.patient_saved):
        qtbot.keyClick(patients.search_input, Qt.Key.Key_N, CTRL)
    assert seen
    assert seen[0].result_record is not None
    assert patients.model.rowCount() == 1
    qtbot.keyClick(patients.table, Qt.Key.Key_Return)
    chart = window.chart
    assert chart is not None
    return chart


def _open_from_patients(qtbot: QtBot, window: MainWindow) -> PatientChartView:
    """Ctrl+2, the MRN typed in the search, Enter: her chart."""
    _activate(qtbot, window)
    qtbot.keyClick(window, Qt.Key.Key_2, CTRL)
    patients = window.patients_view
    patients.search_input.clear()
    with qtbot.waitSignal(patients.results_shown):
        qtbot.keyClicks(patients.search_input, MRN)
    qtbot.keyClick(patients.search_input, Qt.Key.Key_Return)
    chart = window.chart
    assert chart is not None
    return chart


def _start_course(qtbot: QtBot, chart: PatientChartView) -> None:
    course_panel = _course_panel(chart)
    assert course_panel.placeholder_label.isVisible()

    def fill(dialog: StartCourseDialog) -> None:
        _type_date(qtbot, dialog.start_date_input, FIRST_FILL)
        assert dialog.prescriber_input.currentText() == "Dr Priya Park"
        _type_date(qtbot, dialog.ipledge_date_input, ENROLLED)
        qtbot.keyClicks(dialog.weight_input.number_edit, "61")
        qtbot.keyClicks(dialog.mg_per_kg_day_input, "0.5")
        qtbot.mouseClick(dialog.save_button, CLICK)

    _answer(qtbot, StartCourseDialog, fill, course_panel.start_button)
    assert course_panel.model.rowCount() == 1


def _sign_consents(qtbot: QtBot, chart: PatientChartView) -> int:
    panel = _panel(chart, ChartTab.CONSENTS)
    assert isinstance(panel, ConsentsPanel)
    signed = 0
    while any(need.signed is None for need in panel.model.records()):

        def fill(dialog: ConsentSignDialog) -> None:
            qtbot.keyClicks(dialog.password_input, PASSWORD)
            qtbot.mouseClick(dialog.save_button, CLICK)

        _answer(qtbot, ConsentSignDialog, fill, panel.sign_button)
        signed += 1
    return signed


def _record_test(
    qtbot: QtBot, panel: IpledgePanel, purpose: PregnancyTestPurpose, day: date
) -> None:
    def fill(dialog: PregnancyTestDialog) -> None:
        dialog.purpose_input.setCurrentIndex(dialog.purpose_input.findData(purpose.value))
        _type_date(qtbot, dialog.specimen_input, day)
        _choose(dialog.setting_input, "Medical")
        _choose(dialog.method_input, "Urine")
        _choose(dialog.result_input, "Negative")
        if purpose is PregnancyTestPurpose.CONFIRMATION:
            _choose(dialog.clia_input, "Yes")
        qtbot.mouseClick(dialog.save_button, CLICK)

    _answer(qtbot, PregnancyTestDialog, fill, panel.pregnancy_test_button)


def _record_contraception(qtbot: QtBot, panel: IpledgePanel) -> None:
    def fill(dialog: ContraceptionDialog) -> None:
        _type_date(qtbot, dialog.starts_input, CONTRACEPTION_FROM)
        _choose(dialog.primary_input, "Intrauterine device")
        _choose(dialog.secondary_input, "Male latex condom")
        qtbot.mouseClick(dialog.save_button, CLICK)

    _answer(qtbot, ContraceptionDialog, fill, panel.contraception_button)


def _answer_yes_to_the_question() -> None:
    """The comprehension step asks first, in a real message box: press Yes."""

    def press_yes() -> None:
        box = QApplication.activeModalWidget()
        if isinstance(box, QMessageBox):
            box.button(QMessageBox.StandardButton.Yes).click()
        else:
            QTimer.singleShot(10, press_yes)

    QTimer.singleShot(0, press_yes)


def _comprehension_and_fill(qtbot: QtBot, panel: IpledgePanel, day: date) -> None:
    _answer_yes_to_the_question()
    with qtbot.waitSignal(panel.course_changed):
        qtbot.mouseClick(panel.comprehension_button, CLICK)

    def fill(dialog: FillDialog) -> None:
        assert dialog.filled_input.text() == day.isoformat()
        qtbot.keyClicks(dialog.capsules_input, "60")
        qtbot.mouseClick(dialog.save_button, CLICK)

    _answer(qtbot, FillDialog, fill, panel.fill_button)


def _prescriber_confirms_counselling(qtbot: QtBot, window: MainWindow) -> None:
    """Dr Park signs in at the nurse's workstation, finds the step on her worklist, signs it
    with her password, and hands the workstation back."""
    _sign_in(qtbot, window, "drpark")
    chart = _open_from_worklist(qtbot, window, WorkKind.COUNSELING_CONFIRMATION, ChartTab.IPLEDGE)
    panel = _ipledge(chart)
    assert panel.counseling_button.isEnabled()
    with qtbot.waitSignal(panel.course_changed):
        qtbot.mouseClick(panel.counseling_button, CLICK)
    assert _steps(panel)["Prescriber confirms counselling in iPLEDGE"] == "✓ Done"
    _sign_in(qtbot, window, "nina")


@dataclass(frozen=True)
class Visit:
    """What the nurse types at one monthly visit."""

    weight: str
    phq: tuple[int, ...]
    """Two answers, or nine when the PHQ-2 is positive (the dialog then asks the PHQ-9)."""
    effects: tuple[tuple[SideEffect, EffectSeverity], ...] = ()


VISITS = (
    Visit("61.5", (0, 0), ((SideEffect.DRY_LIPS, EffectSeverity.MILD),)),
    Visit("136 lb", (2, 1, 1, 0, 1, 0, 0, 0, 0), ((SideEffect.DRY_SKIN, EffectSeverity.MODERATE),)),
    Visit("62", (0, 1)),
)


def _record_visit(qtbot: QtBot, chart: PatientChartView, day: date, visit: Visit) -> None:
    """Record visit… on the Course tab: weight, side effects, mood questions, Save visit."""

    def fill(dialog: VisitDialog) -> None:
        assert dialog.seen_on_input.text() == day.isoformat()
        qtbot.keyClicks(dialog.weight_input.number_edit, visit.weight)
        for effect, severity in visit.effects:
            dialog.side_effects_panel.checkboxes[effect].setChecked(True)
            box = dialog.side_effects_panel.severity_inputs[effect]
            box.setCurrentIndex(box.findData(severity.value))
        mood = dialog.mood_panel
        for box, score in zip(mood.question_inputs, visit.phq, strict=False):
            box.setCurrentIndex(box.findData(score))
        assert mood.phq9_box.isVisible() is (len(visit.phq) == PHQ9_ITEM_COUNT)
        assert not dialog.urgent_banner.isVisible()
        assert dialog.next_visit_input.text() == (day + MONTH).isoformat()
        qtbot.mouseClick(dialog.save_button, CLICK)

    _answer(qtbot, VisitDialog, fill, _course_panel(chart).visit_button)


@pytest.fixture
def window(
    qtbot: QtBot,
    nurse_ctx: Context,
    prescriber_ctx: Context,
    clock: FixedClock,
    monkeypatch: pytest.MonkeyPatch,
) -> MainWindow:
    monkeypatch.setattr(messages, "ask_password", lambda _parent, _question: PASSWORD)
    _go_to(clock, ENROLLED)
    shown = MainWindow(nurse_ctx)
    qtbot.addWidget(shown)
    shown.show()
    with qtbot.waitActive(shown):  # shortcuts reach only the active window
        shown.activateWindow()
    return shown


def _enrol(qtbot: QtBot, window: MainWindow) -> None:
    """Enrolment day: the patient, her course, her consents, contraception, screening test."""
    chart = _register_patient(qtbot, window)
    _start_course(qtbot, chart)
    assert _worklist(qtbot, window) == {
        "Contraception": "Overdue",
        "Screening pregnancy test": "Due today",
    }
    assert _sign_consents(qtbot, chart) >= 2
    panel = _ipledge(chart)
    _record_contraception(qtbot, panel)
    assert _worklist(qtbot, window) == {"Screening pregnancy test": "Due today"}
    _record_test(qtbot, panel, PregnancyTestPurpose.SCREENING, ENROLLED)
    assert _worklist(qtbot, window) == {}


def _first_fill(qtbot: QtBot, window: MainWindow, clock: FixedClock) -> None:
    """The confirmation test once it can count, counselling, the questions, the first fill."""
    _go_to(clock, FIRST_FILL - timedelta(days=7))
    assert _worklist(qtbot, window) == dict.fromkeys(FIRST_MONTH, "This week")
    _go_to(clock, FIRST_FILL)
    assert _worklist(qtbot, window) == dict.fromkeys(FIRST_MONTH, "Due today")
    chart = _open_from_worklist(qtbot, window, WorkKind.CONFIRMATION_TEST, ChartTab.IPLEDGE)
    panel = _ipledge(chart)
    _record_test(qtbot, panel, PregnancyTestPurpose.CONFIRMATION, FIRST_FILL)
    assert panel.cycle_panel.window_label.text() == "Window open, closes in 6 days: Tue 15 Dec"
    assert _worklist(qtbot, window) == {
        "Comprehension questions": "Due today",
        "Counselling confirmation": "Due today",
        "Fill window closing": "This week",
    }
    _prescriber_confirms_counselling(qtbot, window)
    assert _worklist(qtbot, window) == {
        "Comprehension questions": "Due today",
        "Fill window closing": "This week",
    }
    chart = _open_from_worklist(qtbot, window, WorkKind.COMPREHENSION_QUESTIONS, ChartTab.IPLEDGE)
    _comprehension_and_fill(qtbot, _ipledge(chart), FIRST_FILL)
    assert _worklist(qtbot, window) == {}


def _monthly_visit(
    qtbot: QtBot, window: MainWindow, clock: FixedClock, month: int, visit: Visit
) -> PatientChartView:
    """The month's visit, test, counselling, questions and fill, on the day of the visit."""
    day = FIRST_FILL + month * MONTH
    _go_to(clock, day - timedelta(days=3))
    assert _worklist(qtbot, window) == dict.fromkeys(MONTHLY, "This week")
    _go_to(clock, day)
    # The first visit is due a month after the start; later ones on the day booked.
    visit_status = "This week" if month == 1 else "Due today"
    assert _worklist(qtbot, window) == {
        **dict.fromkeys(MONTHLY, "This week"),
        "Visit": visit_status,
    }
    chart = _open_from_worklist(qtbot, window, WorkKind.VISIT, ChartTab.COURSE)
    _record_visit(qtbot, chart, day, visit)
    assert _worklist(qtbot, window) == dict.fromkeys(MONTHLY[:-1], "This week")
    chart = _open_from_worklist(qtbot, window, WorkKind.PREGNANCY_TEST, ChartTab.IPLEDGE)
    _record_test(qtbot, _ipledge(chart), PregnancyTestPurpose.MONTHLY, day)
    assert _worklist(qtbot, window) == {
        "Comprehension questions": "This week",
        "Counselling confirmation": "This week",
        "Fill window closing": "This week",
    }
    _prescriber_confirms_counselling(qtbot, window)
    chart = _open_from_worklist(qtbot, window, WorkKind.COMPREHENSION_QUESTIONS, ChartTab.IPLEDGE)
    _comprehension_and_fill(qtbot, _ipledge(chart), day)
    assert _worklist(qtbot, window) == {}
    return chart


def _end_course(qtbot: QtBot, window: MainWindow, clock: FixedClock) -> PatientChartView:
    """End course… on the last dose day: the Course tab lists what follows it."""
    _go_to(clock, LAST_DOSE)
    assert _worklist(qtbot, window) == {}
    chart = _open_from_patients(qtbot, window)
    course_panel = _course_panel(chart)

    def end(dialog: CourseActionDialog) -> None:
        assert dialog.date_input.text() == LAST_DOSE.isoformat()
        qtbot.mouseClick(dialog.save_button, CLICK)

    _answer(qtbot, CourseActionDialog, end, course_panel.end_button)
    assert _worklist(qtbot, window) == {"End-of-course pregnancy test": "Due today"}
    assert _after_the_course(course_panel) == {
        "End-of-course pregnancy test": "Due Wed 2027-03-10 (today)",
        "Pregnancy test 1 month after": "Due Sat 2027-04-10 (in 31 days)",
        "Contraception until": "Sat 2027-04-10 (in 31 days)",
        "No blood donation until": "Sat 2027-04-10 (in 31 days)",
        "No breastfeeding until": "Sat 2027-04-10 (in 31 days)",
        "No waxing, laser or skin procedures until": "Fri 2027-09-10 (in 184 days)",
        "Earliest next course": "Mon 2027-05-10 (in 61 days)",
    }
    return chart


def _post_course_tests(
    qtbot: QtBot, window: MainWindow, clock: FixedClock, chart: PatientChartView
) -> None:
    """The end-of-course test at once, the post-course test a month later (domain.md §1.7)."""
    _record_test(qtbot, _ipledge(chart), PregnancyTestPurpose.END_OF_COURSE, LAST_DOSE)
    assert _worklist(qtbot, window) == {}
    _go_to(clock, POST_COURSE_TEST - timedelta(days=5))
    assert _worklist(qtbot, window) == {"Post-course pregnancy test": "This week"}
    _go_to(clock, POST_COURSE_TEST)
    assert _worklist(qtbot, window) == {"Post-course pregnancy test": "Due today"}
    chart = _open_from_worklist(
        qtbot, window, WorkKind.POST_COURSE_PREGNANCY_TEST, ChartTab.IPLEDGE
    )
    _record_test(qtbot, _ipledge(chart), PregnancyTestPurpose.POST_COURSE, POST_COURSE_TEST)
    assert _worklist(qtbot, window) == {}
    after = _after_the_course(_course_panel(chart))
    assert after["End-of-course pregnancy test"] == "Done: negative, specimen Wed 2027-03-10"
    assert after["Pregnancy test 1 month after"] == "Done: negative, specimen Sat 2027-04-10"
    assert after["Earliest next course"] == "Mon 2027-05-10 (in 30 days)"


def test_a_nurse_takes_a_new_patient_from_enrolment_to_post_course_follow_up(
    qtbot: QtBot, window: MainWindow, clock: FixedClock, screenshot: Screenshot
) -> None:
    assert _worklist(qtbot, window) == {}
    _enrol(qtbot, window)
    _first_fill(qtbot, window, clock)
    for month, visit in enumerate(VISITS, start=1):
        chart = _monthly_visit(qtbot, window, clock, month, visit)
    visits = _panel(chart, ChartTab.VISITS)
    assert isinstance(visits, VisitsPanel)
    assert _rows(visits.model) == [
        ["2027-03-03", "62.0 kg (136.7 lb)", "PHQ-2 1", "None reported",
         "continue current dose", "2027-03-31", "Nina Nurse"],
        ["2027-02-03", "61.7 kg (136.0 lb)", "PHQ-2 3 (positive) · PHQ-9 5 (mild)",
         "Dry skin (moderate)", "continue current dose", "2027-03-03", "Nina Nurse"],
        ["2027-01-06", "61.5 kg (135.6 lb)", "PHQ-2 0", "Dry, chapped lips (mild)",
         "continue current dose", "2027-02-03", "Nina Nurse"],
    ]  # fmt: skip
    chart = _end_course(qtbot, window, clock)
    screenshot(window, "nurse-day-course-ended")
    _post_course_tests(qtbot, window, clock, chart)
