"""Once the visit dialog has closed, a same-day flag is still unmissable: the chart header's
most urgent flag and an urgent worklist row that opens the Visits tab (domain.md §4.2), until
the follow-up is recorded there as done."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.qtbot import QtBot

from desktop.rules.worklist_items import ItemStatus, Severity, WorkKind, WorklistItem
from desktop.services.context import Context
from desktop.services.course_records import CourseRecord
from desktop.ui import messages
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.chart.patient_chart_view import PatientChartView
from desktop.ui.chart.patient_header_panel import HARD_STOP, most_urgent_flag
from desktop.ui.course.course_panel import CoursePanel
from desktop.ui.visit.follow_up_dialog import FollowUpDialog
from desktop.ui.visit.visit_dialog import SELF_HARM_BANNER, VisitDialog
from desktop.ui.visit.visits_panel import VisitsPanel
from desktop.ui.visit.visits_table_model import FOLLOW_UP_COLUMN, FOLLOW_UP_NEEDED
from desktop.ui.worklist.worklist_view import WorklistView
from tests.ui.courses import start_test_course
from tests.ui.keyboard import answer_modal
from tests.ui.mnemonics import clashes

CLICK = Qt.MouseButton.LeftButton
SELF_HARM_PHQ9 = (2, 2, 1, 1, 0, 1, 0, 0, 1)
"""PHQ-2 positive (4 of 6), so the PHQ-9 opens; question 9 at 1."""
FOLLOW_UP = (
    "Same-day follow-up: PHQ-9 question 9 (thoughts of self-harm) above 0 at the visit of "
    "2026-11-20. A clinician must see the patient that day."
)


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    return start_test_course(nurse_ctx)


@pytest.fixture
def shown_flags(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the visit dialog showed through messages.py after saving."""
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, error: shown.append(str(error)))
    return shown


def _record_flagged_visit(qtbot: QtBot, chart: PatientChartView) -> None:
    """Record visit… on the Course tab: weight, PHQ-2 positive, PHQ-9 with question 9 at 1."""

    def fill(dialog: VisitDialog) -> None:
        qtbot.keyClicks(dialog.weight_input.number_edit, "60")
        for box, score in zip(dialog.mood_panel.question_inputs, SELF_HARM_PHQ9, strict=True):
            box.setCurrentIndex(box.findData(score))
        assert dialog.urgent_banner.text() == SELF_HARM_BANNER
        qtbot.mouseClick(dialog.save_button, CLICK)

    panel = chart.panels[ChartTab.COURSE]
    assert isinstance(panel, CoursePanel)
    seen = answer_modal(VisitDialog, fill)
    qtbot.mouseClick(panel.visit_button, CLICK)
    assert seen, "the visit dialog did not open"
    assert seen[0].result_record is not None, seen[0].error_label.text()


def test_a_flagged_visit_heads_the_chart_and_the_worklist(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord, shown_flags: list[str]
) -> None:
    chart = PatientChartView(nurse_ctx, course.patient_id, tab=ChartTab.COURSE)
    qtbot.addWidget(chart)
    chart.resize(1100, 700)
    chart.show()
    assert not any("Same-day" in text for text in chart.header.flag_texts())
    _record_flagged_visit(qtbot, chart)
    assert len(shown_flags) == 1  # the dialog's own message box, as before
    flag = next(f for f in chart.header.flag_labels if "Same-day" in f.text())
    assert flag.text().startswith(f"Due today: {FOLLOW_UP}")
    assert flag.objectName() == HARD_STOP
    qtbot.waitUntil(flag.isVisible)  # a layout shows a new label on the next turn

    view = WorklistView(nurse_ctx)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()
    model = view.model
    top = model.record_at(0)
    assert (top.kind, top.severity, top.status) == (
        WorkKind.SAME_DAY_FOLLOW_UP,
        Severity.URGENT,
        ItemStatus.DUE,
    )
    cells = [model.data(model.index(0, column)) for column in range(6)]
    assert cells[:3] == ["URGENT", "Due today", "Fri 2026-11-20"]
    assert cells[4:] == ["MRN-1001", FOLLOW_UP]
    tint = model.data(model.index(0, 5), Qt.ItemDataRole.BackgroundRole)
    assert isinstance(tint, QBrush)
    assert tint.color().name() == "#fde8e7"
    kinds = [view.kind_input.itemText(i) for i in range(view.kind_input.count())]
    assert "Same-day follow-up (1)" in kinds
    view.table.setFocus()
    view.table.setCurrentIndex(model.index(0, 0))
    with qtbot.waitSignal(view.chart_requested) as opened:
        qtbot.keyClick(view.table, Qt.Key.Key_Return)
    assert opened.args == [course.patient_id, course.id, ChartTab.VISITS.value]


def test_the_header_shows_a_follow_up_before_an_older_urgent_item() -> None:
    """An overdue urgent lab comes first on the worklist, but the patient seen today with
    question 9 above 0 may still be in the building."""
    lab = WorklistItem(
        WorkKind.LAB, date(2026, 11, 2), ItemStatus.OVERDUE, Severity.URGENT, "ALT urgent"
    )
    follow_up = WorklistItem(
        WorkKind.SAME_DAY_FOLLOW_UP, date(2026, 11, 20), ItemStatus.DUE, Severity.URGENT, FOLLOW_UP
    )
    flag = most_urgent_flag([lab, follow_up])
    assert flag is not None
    assert flag.text == f"Due today: {FOLLOW_UP}  (+1 more on the worklist)"
    assert (flag.style, flag.tooltip) == (HARD_STOP, "Overdue since Mon 2026-11-02: ALT urgent")
    without = most_urgent_flag([lab])
    assert without is not None
    assert without.text == "Overdue since Mon 2026-11-02: ALT urgent"


def _visits_tab_after_a_flagged_visit(
    qtbot: QtBot, ctx: Context, course: CourseRecord
) -> tuple[PatientChartView, VisitsPanel]:
    """The chart with a visit recorded through the dialog (question 9 at 1), on Visits."""
    chart = PatientChartView(ctx, course.patient_id, tab=ChartTab.COURSE)
    qtbot.addWidget(chart)
    chart.resize(1100, 700)
    chart.show()
    _record_flagged_visit(qtbot, chart)
    chart.show_tab(ChartTab.VISITS)
    panel = chart.panels[ChartTab.VISITS]
    assert isinstance(panel, VisitsPanel)
    qtbot.waitUntil(lambda: panel.model.rowCount() == 1)
    return chart, panel


def test_recording_the_follow_up_on_the_visits_tab_clears_the_header_and_the_worklist(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord, shown_flags: list[str]
) -> None:
    """Keyboard only from the Visits tab: Alt+D opens the dialog on the flagged visit, the
    day is today, the nurse types what was done, Tab to Save, Enter."""
    chart, panel = _visits_tab_after_a_flagged_visit(qtbot, nurse_ctx, course)
    assert panel.follow_up_button.isEnabled()
    outcome = "Seen by Dr Park at 3 pm; safety plan agreed."

    def answer(dialog: FollowUpDialog) -> None:
        assert dialog.findings_label.text() == (
            "Visit of 2026-11-20: PHQ-9 question 9 above 0 (thoughts of self-harm)."
        )
        assert dialog.done_on_input.date_value() == date(2026, 11, 20)
        qtbot.keyClick(dialog.done_on_input, Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.outcome_input
        qtbot.keyClicks(dialog.outcome_input, outcome)
        qtbot.keyClick(dialog.outcome_input, Qt.Key.Key_Tab)
        assert dialog.focusWidget() is dialog.save_button
        qtbot.keyClick(dialog.save_button, Qt.Key.Key_Return)

    chart.activateWindow()
    qtbot.waitUntil(chart.isActiveWindow)
    assert clashes(chart) == {}
    seen = answer_modal(FollowUpDialog, answer)
    qtbot.keyClick(panel, Qt.Key.Key_D, Qt.KeyboardModifier.AltModifier)
    qtbot.waitUntil(lambda: bool(seen))  # a mnemonic clicks its button after a short flash
    assert seen[0].result_record is not None, seen[0].error_label.text()
    model = panel.model
    qtbot.waitUntil(lambda: model.data(model.index(0, FOLLOW_UP_COLUMN)).startswith("Done"))
    assert model.data(model.index(0, FOLLOW_UP_COLUMN)) == (
        f"Done 2026-11-20 by Nina Nurse: {outcome}"
    )
    assert model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole) is None
    assert not panel.follow_up_button.isEnabled()
    qtbot.waitUntil(lambda: not any("Same-day" in t for t in chart.header.flag_texts()))
    history = chart.history_model
    qtbot.waitUntil(
        lambda: history.rowCount() > 0 and "follow-up" in history.data(history.index(0, 3))
    )
    assert [history.data(history.index(0, c)) for c in (1, 3)] == [
        "Nina Nurse",
        "Same-day follow-up done",
    ]
    view = WorklistView(nurse_ctx)
    qtbot.addWidget(view)
    assert not [r for r in view.model.records() if r.kind is WorkKind.SAME_DAY_FOLLOW_UP]


def test_a_follow_up_with_nothing_said_is_refused_beside_the_box(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord, shown_flags: list[str]
) -> None:
    _chart, panel = _visits_tab_after_a_flagged_visit(qtbot, nurse_ctx, course)

    def answer(dialog: FollowUpDialog) -> None:
        qtbot.keyClick(dialog.done_on_input, Qt.Key.Key_Return)  # Enter saves
        assert dialog.isVisible()
        assert dialog.error_label.text() == (
            "Say what was done: who saw or called the patient, and what next."
        )
        assert dialog.focusWidget() is dialog.outcome_input
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    seen = answer_modal(FollowUpDialog, answer)
    qtbot.mouseClick(panel.follow_up_button, CLICK)
    assert seen
    assert seen[0].result_record is None
    assert panel.follow_up_button.isEnabled()
    assert panel.model.data(panel.model.index(0, FOLLOW_UP_COLUMN)) == FOLLOW_UP_NEEDED
