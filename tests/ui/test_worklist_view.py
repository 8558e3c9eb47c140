"""The worklist: most urgent first, coloured, filtered by kind and prescriber, counted in the
navigation, brought up to date after sign-in, and opening the chart on the right tab."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.qtbot import QtBot

from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.patients import RiskCategory, SexAtBirth
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
)
from desktop.rules.worklist_items import ItemStatus, Severity, WorkKind
from desktop.services.context import Context, FixedClock
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import list_prescribers
from desktop.services.ipledge_steps import record_contraception, record_pregnancy_test
from desktop.services.patients import register_patient
from desktop.services.roles import Role
from desktop.services.staff import StaffDraft, add_staff
from desktop.services.worklist import WorklistRow, load_worklist
from desktop.services.worklist import WorklistView as LoadedWorklist
from desktop.ui import messages
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.main_window import MainWindow
from desktop.ui.worklist.worklist_view import WorklistView, summary_text, tab_for
from tests.conftest import PASSWORD, patient_draft
from tests.services.test_courses import course_draft
from tests.ui.conftest import Screenshot
from tests.ui.courses import start_test_course

CLICK = Qt.MouseButton.LeftButton


def _view(qtbot: QtBot, ctx: Context) -> WorklistView:
    view = WorklistView(ctx)
    qtbot.addWidget(view)
    view.resize(1100, 500)
    view.show()
    return view


def _window(qtbot: QtBot, ctx: Context) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    return window


def _column(view: WorklistView, column: int) -> list[str]:
    model = view.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def _kinds(view: WorklistView) -> set[WorkKind]:
    return {record.kind for record in view.model.records()}


def _second_patient(ctx: Context) -> int:
    """A patient who cannot get pregnant, on a course with the same prescriber."""
    patient = register_patient(
        ctx,
        patient_draft(
            mrn="MRN-2002",
            legal_name="Sam Adams",
            preferred_name="",
            sex_at_birth=SexAtBirth.MALE,
            risk_category=RiskCategory.CANNOT_GET_PREGNANT,
        ),
    )
    return start_course(ctx, course_draft(ctx, patient.id)).id


@pytest.fixture
def two_courses(nurse_ctx: Context, prescriber_ctx: Context) -> tuple[int, int]:
    return start_test_course(nurse_ctx).id, _second_patient(nurse_ctx)


def test_rows_come_most_urgent_first_with_weekday_and_severity_colour(
    qtbot: QtBot, nurse_ctx: Context, two_courses: tuple[int, int], screenshot: Screenshot
) -> None:
    first_course, _ = two_courses
    record_pregnancy_test(
        nurse_ctx,
        first_course,
        PregnancyTest(
            PregnancyTestPurpose.SCREENING,
            date(2026, 11, 19),
            PregnancyTestResult.POSITIVE,
            PregnancyTestSetting.MEDICAL,
            verified_by="Nina Nurse",
        ),
    )
    view = _view(qtbot, nurse_ctx)
    model = view.model
    headers = [model.headerData(c, Qt.Orientation.Horizontal) for c in range(7)]
    assert headers == ["Severity", "Status", "Due", "Patient", "MRN", "What to do", "Prescriber"]
    top = model.record_at(0)
    assert (top.kind, top.severity) == (WorkKind.PREGNANCY_TEST_POSITIVE, Severity.URGENT)
    assert _column(view, 0)[0] == "URGENT"
    severities = [record.severity.rank for record in model.records()]
    assert severities == sorted(severities, reverse=True)
    due = dict(zip(_column(view, 2), (r.due_on for r in model.records()), strict=True))
    assert due["Mon 2026-11-02"] == date(2026, 11, 2)
    assert due["Sat 2026-10-03"] == date(2026, 10, 3)
    urgent = model.data(model.index(0, 3), Qt.ItemDataRole.BackgroundRole)
    warning = model.data(model.index(1, 3), Qt.ItemDataRole.BackgroundRole)
    assert isinstance(urgent, QBrush)
    assert urgent.color().name() == "#fde8e7"
    assert isinstance(warning, QBrush)
    assert warning.color().name() == "#fdf0d5"
    assert set(_column(view, 3)) == {"Zoë O'Brien-Núñez (Zo)", "Sam Adams"}
    screenshot(view, "worklist")


def test_summary_counts_overdue_due_and_this_week(
    qtbot: QtBot, nurse_ctx: Context, two_courses: tuple[int, int]
) -> None:
    view = _view(qtbot, nurse_ctx)
    total = view.model.rowCount()
    assert (
        view.summary_label.text() == f"{total} overdue · 0 due today · 0 closing soon · 0 this week"
    )
    assert not view.empty_label.isVisible()


def _negative(purpose: PregnancyTestPurpose, specimen_on: date) -> PregnancyTest:
    return PregnancyTest(
        purpose,
        specimen_on,
        PregnancyTestResult.NEGATIVE,
        PregnancyTestSetting.MEDICAL,
        verified_by="Nina Nurse",
    )


def test_summary_counts_a_fill_window_closing_in_two_days_as_closing_soon(
    qtbot: QtBot, nurse_ctx: Context, two_courses: tuple[int, int]
) -> None:
    """A confirmation test collected on 16 Nov opens a 7-day window to 22 Nov (domain.md
    §1.6 W7): two days after today it is closing soon, not just due this week."""
    first_course, _ = two_courses
    record_contraception(
        nurse_ctx,
        first_course,
        ContraceptionPeriod(date(2026, 9, 1), ContraceptionMethod.IUD, ContraceptionMethod.CONDOM),
    )
    record_pregnancy_test(
        nurse_ctx, first_course, _negative(PregnancyTestPurpose.SCREENING, date(2026, 10, 20))
    )
    record_pregnancy_test(
        nurse_ctx, first_course, _negative(PregnancyTestPurpose.CONFIRMATION, date(2026, 11, 16))
    )
    view = _view(qtbot, nurse_ctx)
    windows = [r for r in view.model.records() if r.kind is WorkKind.FILL_WINDOW_CLOSING]
    assert [(r.due_on, r.status) for r in windows] == [(date(2026, 11, 22), ItemStatus.UPCOMING)]
    loaded = view.screen_data
    assert loaded is not None
    upcoming = loaded.shown.count(ItemStatus.UPCOMING)
    assert view.summary_label.text().endswith(f"· 1 closing soon · {upcoming - 1} this week")


def test_summary_says_how_much_is_shown_when_the_list_is_cut() -> None:
    row = WorklistRow(
        1, 1, "MRN-1", "A Patient", 1, "Dr P", WorkKind.LAB, date(2026, 11, 2),
        ItemStatus.OVERDUE, Severity.WARNING, "Labs due.",
    )  # fmt: skip
    counts = {ItemStatus.OVERDUE: 11_000, ItemStatus.DUE: 600, ItemStatus.UPCOMING: 44}
    view = LoadedWorklist(date(2026, 11, 20), (row,) * 500, 11_644, counts, {}, 0, 4)
    assert summary_text(view) == (
        "11,000 overdue · 600 due today · 4 closing soon · 40 this week  —  showing the 500 "
        "most urgent of 11,644"
    )


def test_an_empty_worklist_says_so(qtbot: QtBot, nurse_ctx: Context) -> None:
    view = _view(qtbot, nurse_ctx)
    assert view.empty_label.isVisible()
    assert view.empty_label.text() == "Nothing is overdue, due today or due this week."
    assert view.summary_label.text() == "0 overdue · 0 due today · 0 closing soon · 0 this week"


def test_kind_filter_lists_counts_and_shows_only_that_kind(
    qtbot: QtBot, nurse_ctx: Context, two_courses: tuple[int, int]
) -> None:
    view = _view(qtbot, nurse_ctx)
    texts = [view.kind_input.itemText(i) for i in range(view.kind_input.count())]
    assert texts[0] == f"All kinds ({view.model.rowCount()})"
    assert "Consent missing (4)" in texts
    assert "Labs (4)" in texts
    view.kind_input.setFocus()
    qtbot.keyClicks(view.kind_input, "Lab")
    assert view.kind_input.currentText() == "Labs (4)"
    assert _kinds(view) == {WorkKind.LAB}
    assert view.model.rowCount() == 4
    assert view.summary_label.text() == "4 overdue · 0 due today · 0 closing soon · 0 this week"
    view.table.setFocus()
    qtbot.keyClick(view.table, Qt.Key.Key_Down)
    record = view.model.record_at(view.table.currentIndex().row())
    assert view.detail_label.text() == (
        f"{record.patient_name} ({record.mrn}), Dr Priya Park: {record.message}"
        "  — Enter opens the chart."
    )


def test_prescriber_filter_shows_only_their_patients(
    qtbot: QtBot, admin_ctx: Context, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    start_test_course(nurse_ctx)
    add_staff(admin_ctx, StaffDraft("drlee", "Dr Lena Lee", Role.PRESCRIBER, PASSWORD))
    patient = register_patient(
        nurse_ctx, patient_draft(mrn="MRN-3003", legal_name="Ann Lee", preferred_name="")
    )
    lee = next(p for p in list_prescribers(nurse_ctx) if p.display_name == "Dr Lena Lee")
    start_course(nurse_ctx, course_draft(nurse_ctx, patient.id, prescriber_id=lee.id))
    view = _view(qtbot, nurse_ctx)
    names = [view.prescriber_input.itemText(i) for i in range(view.prescriber_input.count())]
    assert names == ["All prescribers", "Dr Lena Lee", "Dr Priya Park"]
    assert set(_column(view, 6)) == {"Dr Lena Lee", "Dr Priya Park"}
    view.prescriber_input.setFocus()
    qtbot.keyClicks(view.prescriber_input, "Dr L")
    assert set(_column(view, 6)) == {"Dr Lena Lee"}
    assert set(_column(view, 3)) == {"Ann Lee"}


@pytest.mark.parametrize(
    ("kind", "tab"),
    [
        (WorkKind.CONSENT_MISSING, ChartTab.CONSENTS),
        (WorkKind.LAB, ChartTab.LABS),
        (WorkKind.VISIT, ChartTab.COURSE),
        (WorkKind.PREGNANCY_TEST, ChartTab.IPLEDGE),
        (WorkKind.CONTRACEPTION, ChartTab.IPLEDGE),
        (WorkKind.COUNSELING_CONFIRMATION, ChartTab.IPLEDGE),
        (WorkKind.COMPREHENSION_QUESTIONS, ChartTab.IPLEDGE),
        (WorkKind.FILL_WINDOW_CLOSING, ChartTab.IPLEDGE),
        (WorkKind.SCREENING_TEST, ChartTab.IPLEDGE),
        (WorkKind.CONFIRMATION_TEST, ChartTab.IPLEDGE),
        (WorkKind.END_OF_COURSE_PREGNANCY_TEST, ChartTab.IPLEDGE),
        (WorkKind.POST_COURSE_PREGNANCY_TEST, ChartTab.IPLEDGE),
    ],
)
def test_each_kind_opens_its_tab(kind: WorkKind, tab: ChartTab) -> None:
    assert tab_for(kind) is tab


def _select_kind(qtbot: QtBot, view: WorklistView, words: str) -> None:
    view.kind_input.setFocus()
    qtbot.keyClicks(view.kind_input, words)


def test_enter_on_a_row_opens_the_chart_on_its_tab_and_back_returns(
    qtbot: QtBot, nurse_ctx: Context, two_courses: tuple[int, int]
) -> None:
    window = _window(qtbot, nurse_ctx)
    view = window.worklist_view
    _select_kind(qtbot, view, "Consent")
    view.table.setFocus()
    assert view.table.currentIndex().row() == 0  # the most urgent row is ready for Enter
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    chart = window.chart
    assert chart is not None
    assert chart.isVisible()
    assert chart.current_tab() is ChartTab.CONSENTS
    assert chart.back_button.text() == "← Worklist"
    assert window.nav_list.currentRow() == 0
    qtbot.mouseClick(chart.back_button, CLICK)
    assert window.chart is None
    assert view.isVisible()


def test_double_click_on_a_lab_row_opens_the_labs_tab(
    qtbot: QtBot, nurse_ctx: Context, two_courses: tuple[int, int]
) -> None:
    window = _window(qtbot, nurse_ctx)
    view = window.worklist_view
    _select_kind(qtbot, view, "Lab")
    table = view.table
    rect = table.visualRect(view.model.index(0, 3))
    qtbot.mouseClick(table.viewport(), CLICK, pos=rect.center())  # Qt's test double-click
    qtbot.mouseDClick(table.viewport(), CLICK, pos=rect.center())  # needs a press first
    chart = window.chart
    assert chart is not None
    assert chart.current_tab() is ChartTab.LABS
    assert chart.panels[ChartTab.LABS].isVisible()


def test_navigation_counts_overdue_and_due_today(
    qtbot: QtBot, nurse_ctx: Context, two_courses: tuple[int, int]
) -> None:
    window = _window(qtbot, nurse_ctx)
    count = load_worklist(nurse_ctx).count(ItemStatus.OVERDUE)
    assert window.nav_list.item(0).text() == f"Worklist ({count})"
    window.go_to("Patients")
    assert window.nav_list.currentRow() == 1
    window.go_to("Worklist")
    assert window.nav_list.currentRow() == 0


def test_a_save_in_the_chart_refreshes_the_worklist(
    qtbot: QtBot, nurse_ctx: Context, two_courses: tuple[int, int], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages, "confirm", lambda _parent, _question: True)
    window = _window(qtbot, nurse_ctx)
    view = window.worklist_view
    assert WorkKind.COMPREHENSION_QUESTIONS in _kinds(view)
    _select_kind(qtbot, view, "Comprehension")
    view.table.selectRow(0)
    qtbot.keyClick(view.table, Qt.Key.Key_Return)
    chart = window.chart
    assert chart is not None
    assert chart.current_tab() is ChartTab.IPLEDGE
    panel = chart.panels[ChartTab.IPLEDGE]
    with qtbot.waitSignal(chart.record_changed):
        qtbot.mouseClick(panel.comprehension_button, CLICK)  # type: ignore[union-attr]
    assert view.model.rowCount() == 0
    assert view.kind_input.currentText() == "Comprehension questions (0)"


def test_courses_computed_yesterday_are_brought_up_to_date_after_sign_in(
    qtbot: QtBot, nurse_ctx: Context, two_courses: tuple[int, int], clock: FixedClock
) -> None:
    clock.instant += timedelta(days=1)
    assert load_worklist(nurse_ctx).stale_courses == 2
    view = _view(qtbot, nurse_ctx)
    assert load_worklist(nurse_ctx).stale_courses == 0
    assert view.screen_data is not None
    assert view.screen_data.shown.stale_courses == 0
    assert view.status_label.text() == ""
