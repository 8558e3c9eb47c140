"""The course tab: start, pause, resume and end a course, earlier courses stay visible and
selectable, and the visit dialog opens on the selected course."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date

import pytest
from PySide6.QtCore import QRunnable, Qt
from PySide6.QtWidgets import QPushButton
from pytestqt.qtbot import QtBot

from desktop.rules.patients import RiskCategory, SexAtBirth
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
)
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import end_course, list_courses
from desktop.services.ipledge_steps import record_pregnancy_test
from desktop.services.patients import register_patient
from desktop.services.records import PatientRecord
from desktop.services.visits import list_visits
from desktop.ui import tasks
from desktop.ui.course.course_action_dialog import CourseAction, CourseActionDialog
from desktop.ui.course.course_panel import NO_COURSE, CoursePanel
from desktop.ui.course.start_course_dialog import StartCourseDialog
from desktop.ui.visit.visit_dialog import VisitDialog
from tests.conftest import patient_draft
from tests.services.test_courses import course_draft
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import answer_modal


@pytest.fixture
def patient(nurse_ctx: Context, prescriber_ctx: Context) -> PatientRecord:
    return register_patient(nurse_ctx, patient_draft())


def _panel(qtbot: QtBot, ctx: Context, patient: PatientRecord) -> CoursePanel:
    panel = CoursePanel(ctx, patient)
    qtbot.addWidget(panel)
    panel.resize(1000, 720)
    panel.show()
    return panel


def _click(qtbot: QtBot, button: QPushButton) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _rows(panel: CoursePanel) -> list[list[str]]:
    model = panel.model
    return [
        [model.data(model.index(row, column)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def _enabled(panel: CoursePanel) -> dict[str, bool]:
    buttons = {
        "start": panel.start_button,
        "visit": panel.visit_button,
        "pause": panel.pause_button,
        "resume": panel.resume_button,
        "end": panel.end_button,
    }
    return {name: button.isEnabled() for name, button in buttons.items()}


def _act(qtbot: QtBot, panel: CoursePanel, button: QPushButton, day: str, reason: str) -> None:
    def answer(dialog: CourseActionDialog) -> None:
        dialog.date_input.clear()
        qtbot.keyClicks(dialog.date_input, day)
        if reason:
            qtbot.keyClicks(dialog.reason_input, reason)
        _click(qtbot, dialog.save_button)

    seen = answer_modal(CourseActionDialog, answer)
    with qtbot.waitSignal(panel.course_changed):
        _click(qtbot, button)
    assert seen


def test_a_nurse_starts_the_first_course_from_the_tab(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord, screenshot: Screenshot
) -> None:
    panel = _panel(qtbot, nurse_ctx, patient)
    assert panel.placeholder_label.text() == NO_COURSE
    assert panel.placeholder_label.isVisible()
    assert _enabled(panel) == {
        "start": True, "visit": False, "pause": False, "resume": False, "end": False
    }  # fmt: skip

    def start(dialog: StartCourseDialog) -> None:
        qtbot.keyClicks(dialog.weight_input.number_edit, "60")
        qtbot.keyClicks(dialog.mg_per_kg_day_input, "0.5")
        _click(qtbot, dialog.save_button)

    answer_modal(StartCourseDialog, start)
    with qtbot.waitSignal(panel.course_changed):
        _click(qtbot, panel.start_button)
    assert _rows(panel) == [
        ["1", "Active", "Isotretinoin (generic)", "2026-11-20", "", "150 mg/kg", "Dr Priya Park"]
    ]
    assert panel.selected_course_id() == list_courses(nurse_ctx, patient.id)[0].id
    assert panel.dose_panel is not None
    assert panel.dose_panel.regimen_label.text() == "AM 10 mg · PM 20 mg = 30 mg/day"
    assert not panel.placeholder_label.isVisible()
    assert _enabled(panel) == {
        "start": False, "visit": True, "pause": True, "resume": False, "end": True
    }  # fmt: skip
    assert panel.start_button.toolTip() == "This patient already has a course that has not ended."
    screenshot(panel, "course-panel")


def test_pause_resume_and_end_with_dates_and_reasons(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    panel = _panel(qtbot, nurse_ctx, patient)
    assert panel.dose_panel is not None
    assert not panel.dose_panel.pauses_label.isVisible()
    _act(qtbot, panel, panel.pause_button, "2026-11-10", "acne surgery")
    assert _rows(panel)[0][1] == "Paused"
    assert _enabled(panel)["resume"]
    assert panel.dose_panel is not None
    assert panel.dose_panel.projection_label.text() == (
        "On hold: no projection while no dose is taken."
    )
    assert panel.dose_panel.pauses_label.isVisible()
    assert panel.dose_panel.pauses_label.text() == (
        "Paused 2026-11-10 (acne surgery); not resumed yet."
    )
    _act(qtbot, panel, panel.resume_button, "2026-11-15", "healed")
    assert _rows(panel)[0][1] == "Active"
    assert panel.dose_panel.pauses_label.text() == (
        "Paused 2026-11-10 (acne surgery); resumed 2026-11-15 (healed)."
    )
    _act(qtbot, panel, panel.end_button, "2026-11-20", "")
    assert _rows(panel)[0][1:5] == ["Ended", "Isotretinoin (generic)", "2026-11-02", "2026-11-20"]
    assert _enabled(panel) == {
        "start": True, "visit": False, "pause": False, "resume": False, "end": False
    }  # fmt: skip
    assert panel.dose_panel.projection_label.text() == "Course ended: last dose on 2026-11-20."


def test_ending_a_course_shows_the_duties_after_it_with_dates(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord, screenshot: Screenshot
) -> None:
    """domain.md §1.7, §6, counted from the last dose as `isotrack plan` counts them."""
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    panel = _panel(qtbot, nurse_ctx, patient)
    assert panel.dose_panel is not None
    assert not panel.dose_panel.post_course_panel.isVisible()
    _act(qtbot, panel, panel.end_button, "2026-11-18", "")
    record_pregnancy_test(
        nurse_ctx,
        course.id,
        PregnancyTest(
            PregnancyTestPurpose.END_OF_COURSE,
            date(2026, 11, 19),
            PregnancyTestResult.NEGATIVE,
            PregnancyTestSetting.MEDICAL,
        ),
    )
    panel.refresh()
    post_course = panel.dose_panel.post_course_panel
    assert post_course.isVisible()
    assert post_course.title() == "After the course: last dose Wed 2026-11-18"
    assert post_course.shown_rows() == {
        "End-of-course pregnancy test": "Done: negative, specimen Thu 2026-11-19",
        "Pregnancy test 1 month after": "Due Fri 2026-12-18 (in 28 days)",
        "Contraception until": "Fri 2026-12-18 (in 28 days)",
        "No blood donation until": "Fri 2026-12-18 (in 28 days)",
        "No breastfeeding until": "Fri 2026-12-18 (in 28 days)",
        "No waxing, laser or skin procedures until": "Tue 2027-05-18 (in 179 days)",
        "Earliest next course": "Mon 2027-01-18 (in 59 days)",
    }
    screenshot(panel, "course-panel-ended")


def test_after_the_course_a_patient_who_cannot_get_pregnant_has_no_tests_or_contraception(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient = register_patient(
        nurse_ctx,
        patient_draft(sex_at_birth=SexAtBirth.MALE, risk_category=RiskCategory.CANNOT_GET_PREGNANT),
    )
    first = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id, start_on=date(2026, 3, 2)))
    end_course(nurse_ctx, first.id, first.version, date(2026, 8, 31))
    panel = _panel(qtbot, nurse_ctx, patient)
    assert panel.dose_panel is not None
    assert panel.dose_panel.post_course_panel.shown_rows() == {
        "No blood donation until": "Wed 2026-09-30 (over)",
        "No breastfeeding until": "Wed 2026-09-30 (over)",
        "No waxing, laser or skin procedures until": "Sun 2027-02-28 (in 100 days)",
        "Earliest next course": "Sat 2026-10-31 (may start now)",
    }


def test_pausing_needs_a_reason(qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord) -> None:
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    dialog = CourseActionDialog(nurse_ctx, course, CourseAction.PAUSE)
    qtbot.addWidget(dialog)
    dialog.show()
    _click(qtbot, dialog.save_button)
    message = "Give a reason; it is kept in the record."
    assert dialog.problems.problem_label("reason").text() == message
    assert dialog.focusWidget() is dialog.reason_input
    assert dialog.result_record is None


def test_earlier_courses_stay_visible_and_selectable(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    first = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id, start_on=date(2026, 3, 2)))
    end_course(nurse_ctx, first.id, first.version, date(2026, 8, 31))
    second = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    panel = _panel(qtbot, nurse_ctx, patient)
    assert [row[:2] for row in _rows(panel)] == [["2", "Active"], ["1", "Ended"]]
    assert panel.selected_course_id() == second.id
    panel.courses_table.selectRow(1)
    assert panel.selected_course_id() == first.id
    assert panel.dose_panel is not None
    assert panel.dose_panel.course_id == first.id
    assert panel.dose_panel.projection_label.text() == "Course ended: last dose on 2026-08-31."
    assert not panel.dose_panel.record_weight_button.isEnabled()
    assert _enabled(panel) == {
        "start": False, "visit": False, "pause": False, "resume": False, "end": False
    }  # fmt: skip


def test_record_visit_opens_the_visit_dialog_on_the_selected_course(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    panel = _panel(qtbot, nurse_ctx, patient)

    def visit(dialog: VisitDialog) -> None:
        qtbot.keyClicks(dialog.weight_input.number_edit, "62")
        for box in dialog.mood_panel.question_inputs[:2]:
            box.setCurrentIndex(box.findData(0))
        _click(qtbot, dialog.save_button)

    answer_modal(VisitDialog, visit)
    with qtbot.waitSignal(panel.course_changed):
        _click(qtbot, panel.visit_button)
    assert [v.seen_on for v in list_visits(nurse_ctx, course.id)] == [date(2026, 11, 20)]
    assert panel.dose_panel is not None
    assert panel.dose_panel.achieved_label.text() == "0.48 mg/kg/day at 62.0 kg (136.7 lb)"


class _HeldTasks:
    """Background work held back until the test lets it run, as a slow database would."""

    def __init__(self) -> None:
        self.held: list[QRunnable] = []

    def start(self, runnable: QRunnable) -> None:
        self.held.append(runnable)

    def run_all(self) -> None:
        while self.held:
            self.held.pop(0).run()


def _two_courses(nurse_ctx: Context, patient: PatientRecord) -> tuple[int, int]:
    first = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id, start_on=date(2026, 3, 2)))
    end_course(nurse_ctx, first.id, first.version, date(2026, 8, 31))
    second = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    return first.id, second.id


def test_select_course_selects_it_and_shows_its_dose_panel(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    first_id, second_id = _two_courses(nurse_ctx, patient)
    panel = _panel(qtbot, nurse_ctx, patient)
    assert panel.selected_course_id() == second_id
    panel.select_course(first_id)
    assert panel.selected_course_id() == first_id
    assert panel.courses_table.currentIndex().row() == 1  # Up and Down go on from here
    assert panel.dose_panel is not None
    assert panel.dose_panel.course_id == first_id
    assert not panel.pause_button.isEnabled()  # the buttons follow: this course has ended


def test_select_course_asked_before_the_list_is_read_applies_once_it_is(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    first_id, _second_id = _two_courses(nurse_ctx, patient)
    held = _HeldTasks()
    tasks.use_runner(held)
    panel = _panel(qtbot, nurse_ctx, patient)
    assert panel.model.rowCount() == 0
    panel.select_course(first_id)
    held.run_all()
    assert panel.model.rowCount() == 2
    assert panel.selected_course_id() == first_id


def test_select_course_of_a_course_not_listed_keeps_the_selection(
    qtbot: QtBot, nurse_ctx: Context, patient: PatientRecord
) -> None:
    _first_id, second_id = _two_courses(nurse_ctx, patient)
    panel = _panel(qtbot, nurse_ctx, patient)
    panel.select_course(second_id + 100)
    assert panel.selected_course_id() == second_id
    panel.refresh()
    assert panel.selected_course_id() == second_id
