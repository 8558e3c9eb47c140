"""The chart's Visits tab: a course's recorded visits newest first (date, weight, mood screen
with the item-9 flag, side effects, dose decision, next visit), and Enter or a double-click
opens one read-only."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QLineEdit, QPlainTextEdit
from pytestqt.qtbot import QtBot

from desktop.rules.counseling_topics import CounselingTopic
from desktop.rules.side_effects import EffectSeverity, ReportedEffect, SideEffect
from desktop.rules.units import WeightUnit
from desktop.services.context import Context
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_records import CourseRecord
from desktop.services.visits import VisitDoseChange, VisitDraft, record_visit
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.chart.patient_chart_view import PatientChartView
from desktop.ui.visit.visit_view_dialog import VisitViewDialog
from desktop.ui.visit.visits_panel import NO_VISITS, VisitsPanel
from tests.ui.conftest import Screenshot
from tests.ui.courses import start_test_course
from tests.ui.keyboard import answer_modal


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    return start_test_course(nurse_ctx)


def _visit(ctx: Context, course: CourseRecord, **changes: object) -> None:
    current = next(c for c in list_courses(ctx, course.patient_id) if c.id == course.id)
    fields: dict[str, object] = {
        "course_id": course.id,
        "course_version": current.version,
        "weight": Decimal("61.2"),
        "weight_unit": WeightUnit.KG,
        "phq2_items": (0, 1),
    }
    fields.update(changes)
    record_visit(ctx, VisitDraft(**fields))  # type: ignore[arg-type]


def _visits(ctx: Context, course: CourseRecord) -> None:
    """A quiet first visit, then one with a positive PHQ-2, PHQ-9 question 9 above 0, a
    severe headache, topics, notes and a dose change."""
    _visit(ctx, course, seen_on=date(2026, 11, 6), next_visit_on=date(2026, 11, 20))
    _visit(
        ctx,
        course,
        seen_on=date(2026, 11, 20),
        weight=Decimal(140),
        weight_unit=WeightUnit.LB,
        phq2_items=(2, 2),
        phq9_items=(2, 2, 1, 1, 0, 0, 0, 0, 1),
        missed_days=(date(2026, 11, 8), date(2026, 11, 9)),
        side_effects=(
            ReportedEffect(SideEffect.DRY_LIPS, EffectSeverity.MILD),
            ReportedEffect(SideEffect.HEADACHE, EffectSeverity.SEVERE),
        ),
        counseling_topics=(CounselingTopic.NO_BLOOD_DONATION,),
        dose_change=VisitDoseChange(Decimal("0.75"), "generic", "tolerating it well"),
        notes="Lip balm helps.",
        next_visit_on=date(2026, 12, 18),
    )


def _panel(qtbot: QtBot, ctx: Context, course: CourseRecord) -> VisitsPanel:
    panel = VisitsPanel(ctx, course.id)
    qtbot.addWidget(panel)
    panel.resize(1000, 500)
    panel.show()
    return panel


def _rows(panel: VisitsPanel) -> list[list[str]]:
    model = panel.model
    return [
        [model.data(model.index(row, column)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_visits_are_listed_newest_first_with_the_item_9_flag(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord, screenshot: Screenshot
) -> None:
    _visits(nurse_ctx, course)
    panel = _panel(qtbot, nurse_ctx, course)
    assert _rows(panel) == [
        [
            "2026-11-20",
            "63.5 kg (140.0 lb)",
            "PHQ-2 4 (positive) · PHQ-9 7 (mild) · ITEM 9 FLAG: same-day follow-up",
            "Dry, chapped lips (mild), Headache (severe)",
            "change to 0.75 mg/kg/day (generic): tolerating it well",
            "2026-12-18",
            "Nina Nurse",
            "Needed: record it when done",
        ],
        [
            "2026-11-06",
            "61.2 kg (134.9 lb)",
            "PHQ-2 1",
            "None reported",
            "continue current dose",
            "2026-11-20",
            "Nina Nurse",
            "",
        ],
    ]
    model = panel.model
    flagged = model.data(model.index(0, 0), Qt.ItemDataRole.BackgroundRole)
    assert isinstance(flagged, QBrush)
    assert flagged.color().name() == "#fde8e7"
    assert model.data(model.index(1, 0), Qt.ItemDataRole.BackgroundRole) is None
    screenshot(panel, "visits-panel")


def test_enter_opens_the_visit_read_only_with_everything_recorded(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord, screenshot: Screenshot
) -> None:
    _visits(nurse_ctx, course)
    panel = _panel(qtbot, nurse_ctx, course)
    panel.visits_table.setFocus()

    def read(dialog: VisitViewDialog) -> None:
        screenshot(dialog, "visit-view-dialog")
        qtbot.keyClick(dialog, Qt.Key.Key_Escape)

    seen = answer_modal(VisitViewDialog, read)
    qtbot.keyClick(panel.visits_table, Qt.Key.Key_Return)
    assert seen
    dialog = seen[0]
    texts = {name: label.text() for name, label in dialog.value_labels.items()}
    assert texts["seen_on"] == "Fri 2026-11-20"
    assert texts["weight"] == "63.5 kg (140.0 lb)"
    assert texts["missed_doses"] == "2 days"
    assert texts["side_effects"] == (
        "Dry, chapped lips: mild\nHeadache: severe — needed the prescriber that day"
    )
    mood = texts["mood"].splitlines()
    assert mood[0] == "PHQ-2 4 (positive) · PHQ-9 7 (mild) · ITEM 9 FLAG: same-day follow-up"
    assert mood[1] == "1. Little interest or pleasure in doing things: More than half the days (2)"
    assert mood[9].startswith("9. Thoughts that you would be better off dead")
    assert mood[9].endswith(": Several days (1)")
    assert texts["counseling_topics"] == "No blood donation during and 1 month after"
    assert texts["dose_decision"] == "change to 0.75 mg/kg/day (generic): tolerating it well"
    assert texts["notes"] == "Lip balm helps."
    assert texts["next_visit_on"] == "Fri 2026-12-18"
    assert texts["recorded"] == "by Nina Nurse, 2026-11-20 10:30 EST"
    assert dialog.flags_label.text().startswith("PHQ-9 question 9 (thoughts of self-harm)")
    assert not dialog.findChildren(QLineEdit)
    assert not dialog.findChildren(QPlainTextEdit)


def test_double_click_opens_the_visit_clicked(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord
) -> None:
    _visits(nurse_ctx, course)
    panel = _panel(qtbot, nurse_ctx, course)
    table = panel.visits_table
    seen = answer_modal(VisitViewDialog, lambda dialog: dialog.reject())
    cell = table.visualRect(panel.model.index(1, 0)).center()
    qtbot.mouseClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    qtbot.mouseDClick(table.viewport(), Qt.MouseButton.LeftButton, pos=cell)
    assert seen
    assert seen[0].visit.seen_on == date(2026, 11, 6)
    assert seen[0].value_labels["missed_doses"].text() == "None"
    assert not seen[0].flags_label.isVisible()


def test_a_course_without_visits_says_so(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord
) -> None:
    panel = _panel(qtbot, nurse_ctx, course)
    assert panel.empty_label.text() == NO_VISITS
    assert panel.empty_label.isVisible()
    assert not panel.visits_table.isVisible()


def test_the_chart_shows_the_visits_tab_for_the_course_and_follows_a_new_visit(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord
) -> None:
    chart = PatientChartView(nurse_ctx, course.patient_id, tab=ChartTab.VISITS)
    qtbot.addWidget(chart)
    chart.resize(1000, 700)
    chart.show()
    panel = chart.panels[ChartTab.VISITS]
    assert isinstance(panel, VisitsPanel)
    assert panel.course_id == course.id
    assert panel.model.rowCount() == 0
    chart.show_tab(ChartTab.COURSE)
    _visit(nurse_ctx, course, seen_on=date(2026, 11, 6))
    chart.panels[ChartTab.COURSE].course_changed.emit()  # as a save on the Course tab does
    chart.show_tab(ChartTab.VISITS)
    assert panel.model.rowCount() == 1
