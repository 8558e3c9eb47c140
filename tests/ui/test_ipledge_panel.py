"""The iPLEDGE panel: steps and their states, the fill window countdown, first-course
readiness, prescriber-only counselling, and what each patient category sees."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date
from itertools import pairwise

import pytest
from PySide6.QtCore import QAbstractItemModel, Qt
from pytestqt.qtbot import QtBot

from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.fill_window import FillWindow, WindowBasis
from desktop.rules.ipledge import Fill
from desktop.rules.ipledge_rule_sets import RuleSetId
from desktop.rules.patients import RiskCategory, SexAtBirth
from desktop.rules.pregnancy_tests import (
    HARD_STOP_MESSAGE,
    PregnancyTest,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
)
from desktop.services.context import Context
from desktop.services.course_lifecycle import end_course
from desktop.services.course_overview import get_course_overview
from desktop.services.errors import AuthenticationFailed, NotAllowed
from desktop.services.ipledge_steps import (
    record_contraception,
    record_fill,
    record_pregnancy_test,
)
from desktop.ui import messages
from desktop.ui.ipledge import ipledge_panel
from desktop.ui.ipledge.cycle_panel import window_countdown
from desktop.ui.ipledge.fill_dialog import FillDialog
from desktop.ui.ipledge.ipledge_panel import IpledgePanel
from desktop.ui.ipledge.pregnancy_test_dialog import PregnancyTestDialog
from tests.conftest import PASSWORD
from tests.ui.conftest import Screenshot
from tests.ui.courses import start_test_course
from tests.ui.focus import next_tab_stop
from tests.ui.keyboard import answer_modal

CLICK = Qt.MouseButton.LeftButton


def _panel(qtbot: QtBot, ctx: Context, course_id: int) -> IpledgePanel:
    panel = IpledgePanel(ctx, course_id)
    qtbot.addWidget(panel)
    panel.resize(1000, 900)
    panel.show()
    return panel


def _rows(model: QAbstractItemModel) -> list[list[str]]:
    return [
        [model.data(model.index(row, column)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def _states(panel: IpledgePanel) -> dict[str, str]:
    """Each step's state by its label."""
    return {row[0]: row[1] for row in _rows(panel.cycle_panel.steps_model)}


def _test(purpose: PregnancyTestPurpose, specimen_on: date) -> PregnancyTest:
    return PregnancyTest(
        purpose,
        specimen_on,
        PregnancyTestResult.NEGATIVE,
        PregnancyTestSetting.MEDICAL,
        verified_by="Nina Nurse",
    )


@pytest.fixture
def course_id(nurse_ctx: Context, prescriber_ctx: Context) -> int:
    return start_test_course(nurse_ctx).id


def test_a_nurse_sees_confirm_counselling_disabled_and_why(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    panel = _panel(qtbot, nurse_ctx, course_id)
    assert panel.counseling_button.text().replace("&", "") == "Confirm counselling"
    assert not panel.counseling_button.isEnabled()
    assert (
        panel.counseling_button.toolTip() == "Only a prescriber can confirm counselling in iPLEDGE."
    )


def test_a_nurse_who_reaches_the_counselling_action_is_refused_with_a_message(
    qtbot: QtBot, nurse_ctx: Context, course_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(messages, "ask_password", lambda _parent, _question: PASSWORD)
    monkeypatch.setattr(messages, "show_error", lambda _parent, error: shown.append(error))
    panel = _panel(qtbot, nurse_ctx, course_id)
    panel.counseling_button.setEnabled(True)  # as if the role changed under the nurse
    changed: list[int] = []
    panel.course_changed.connect(changed.append)
    qtbot.mouseClick(panel.counseling_button, CLICK)
    assert [type(e) for e in shown] == [NotAllowed]
    assert changed == []


def test_a_prescriber_confirms_counselling_and_the_step_is_done(
    qtbot: QtBot, prescriber_ctx: Context, course_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def type_password(_parent: object, question: str) -> str:
        asked.append(question)
        return PASSWORD

    monkeypatch.setattr(messages, "ask_password", type_password)
    panel = _panel(qtbot, prescriber_ctx, course_id)
    steps = panel.cycle_panel.steps_model
    assert _rows(steps)[0][0] == "Prescriber confirms counselling in iPLEDGE"
    assert _rows(steps)[0][1] != "✓ Done"
    assert panel.counseling_button.isEnabled()
    with qtbot.waitSignal(panel.course_changed):
        qtbot.mouseClick(panel.counseling_button, CLICK)
    assert len(asked) == 1
    assert asked[0].startswith(ipledge_panel.counseling_question(date(2026, 11, 20)))
    assert "Type your password to sign." in asked[0]
    assert _rows(steps)[0] == ["Prescriber confirms counselling in iPLEDGE", "✓ Done"]
    assert _rows(panel.records_panel.confirmations_model) == [
        [
            "2026-11-20",
            "Prescriber confirmed counselling in iPLEDGE",
            "2026-11-20 10:30 Dr Priya Park",
            "Valid",
        ]
    ]


def test_a_wrong_password_signs_nothing(
    qtbot: QtBot, prescriber_ctx: Context, course_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown: list[BaseException] = []
    monkeypatch.setattr(messages, "ask_password", lambda _parent, _question: "guess guess")
    monkeypatch.setattr(messages, "show_error", lambda _parent, error: shown.append(error))
    panel = _panel(qtbot, prescriber_ctx, course_id)
    qtbot.mouseClick(panel.counseling_button, CLICK)
    assert [type(e) for e in shown] == [AuthenticationFailed]
    assert _rows(panel.records_panel.confirmations_model) == []


def test_comprehension_questions_done_is_recorded_today(
    qtbot: QtBot, nurse_ctx: Context, course_id: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(messages, "confirm", lambda _parent, _question: True)
    panel = _panel(qtbot, nurse_ctx, course_id)
    qtbot.mouseClick(panel.comprehension_button, CLICK)
    steps = _states(panel)
    assert steps["Patient answers the comprehension questions"] == "✓ Done"
    assert _rows(panel.records_panel.confirmations_model) == [
        ["2026-11-20", "Patient answered the comprehension questions", "—", "—"]
    ]


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2024, 3, 6), "Window open, closes in 2 days: Fri 8 Mar"),  # issue 4's example
        (date(2024, 3, 7), "Window open, closes tomorrow: Fri 8 Mar"),
        (date(2024, 3, 8), "Window open, closes today: Fri 8 Mar"),
    ],
)
def test_window_countdown_words(today: date, expected: str) -> None:
    window = FillWindow(
        date(2024, 3, 2), date(2024, 3, 8), WindowBasis.IPLEDGE, RuleSetId.IPLEDGE_2021
    )
    assert window_countdown(window, today) == expected


def test_window_countdown_after_a_negative_test_collected_two_days_ago(
    qtbot: QtBot, nurse_ctx: Context, course_id: int, screenshot: Screenshot
) -> None:
    record_contraception(
        nurse_ctx,
        course_id,
        ContraceptionPeriod(date(2026, 9, 1), ContraceptionMethod.IUD, ContraceptionMethod.CONDOM),
    )
    record_pregnancy_test(
        nurse_ctx, course_id, _test(PregnancyTestPurpose.SCREENING, date(2026, 10, 20))
    )
    panel = _panel(qtbot, nurse_ctx, course_id)

    def fill(dialog: PregnancyTestDialog) -> None:
        assert dialog.purpose_input.currentText() == "Confirmation (before the first prescription)"
        dialog.specimen_input.clear()
        qtbot.keyClicks(dialog.specimen_input, "2026-11-18")
        dialog.result_input.setCurrentIndex(dialog.result_input.findText("Negative"))
        qtbot.mouseClick(dialog.save_button, CLICK)

    answer_modal(PregnancyTestDialog, fill)
    qtbot.mouseClick(panel.pregnancy_test_button, CLICK)
    cycle = panel.cycle_panel
    assert cycle.window_label.text() == "Window open, closes in 4 days: Tue 24 Nov"
    assert cycle.window_detail_label.text() == (
        "Opened Wed 18 Nov (iPLEDGE: 7 days, the specimen day counting as day 1)."
    )
    assert cycle.rule_set_label.text() == (
        "Rules in force: iPLEDGE REMS modification approved 2026-02-09 (in force from 2026-08-08)"
    )
    steps = _states(panel)
    assert steps["Negative pregnancy test"] == "✓ Done"
    assert steps["Two forms of contraception (or abstinence) entered"] == "✓ Done"
    first = panel.first_course_panel
    assert first.isVisible()
    assert first.screening_label.text() == "✓ Screening test negative, specimen 2026-10-20"
    assert first.contraception_label.text() == "✓ Contraception (or abstinence) since 2026-09-01"
    assert first.confirmation_label.text() == "✓ Confirmation test negative, specimen 2026-11-18"
    assert _rows(panel.records_panel.pregnancy_tests_model)[0][:5] == [
        "Confirmation",
        "2026-11-18",
        "Medical setting",
        "—",
        "Negative",
    ]
    # A panel opened afresh: offscreen, a refresh after a modal dialog leaves the grown
    # tables' boxes unsettled in the picture (the real window under Xvfb is right).
    screenshot(_panel(qtbot, nurse_ctx, course_id), "ipledge-panel")


def test_a_missed_window_is_shown_with_the_day_it_closed(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    # Only a test that counts opens a window: before the first fill, a confirmation test
    # 19 days after screening and after 30 days of contraception (domain.md §1.3).
    record_contraception(
        nurse_ctx,
        course_id,
        ContraceptionPeriod(date(2026, 9, 1), ContraceptionMethod.IUD, ContraceptionMethod.CONDOM),
    )
    record_pregnancy_test(
        nurse_ctx, course_id, _test(PregnancyTestPurpose.SCREENING, date(2026, 10, 20))
    )
    record_pregnancy_test(
        nurse_ctx, course_id, _test(PregnancyTestPurpose.CONFIRMATION, date(2026, 11, 11))
    )
    panel = _panel(qtbot, nurse_ctx, course_id)
    assert panel.cycle_panel.window_label.text() == "Missed: closed Tue 17 Nov"


def test_first_course_checklist_before_any_test(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    panel = _panel(qtbot, nurse_ctx, course_id)
    first = panel.first_course_panel
    assert first.screening_label.text().startswith("✗ Screening test: no negative screening")
    assert first.contraception_label.text().startswith("✗ Contraception: no acceptable")
    assert first.confirmation_label.text() == "✗ Confirmation test: not done yet"
    assert not first.missed_label.isVisible()
    assert panel.cycle_panel.window_label.text() == "No fill window open"


def test_a_positive_test_shows_the_hard_stop_at_the_top(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    panel = _panel(qtbot, nurse_ctx, course_id)
    assert not panel.hard_stop_label.isVisible()

    def fill(dialog: PregnancyTestDialog) -> None:
        dialog.result_input.setCurrentIndex(dialog.result_input.findText("Positive"))
        qtbot.mouseClick(dialog.save_button, CLICK)

    answer_modal(PregnancyTestDialog, fill)
    qtbot.mouseClick(panel.pregnancy_test_button, CLICK)
    assert panel.hard_stop_label.isVisible()
    assert panel.hard_stop_label.text() == (
        f"Pregnancy test of 2026-11-20 is positive. {HARD_STOP_MESSAGE}"
    )
    assert panel.cycle_panel.window_label.text() == (
        "Do not fill: a positive pregnancy test stands"
    )


def test_a_fill_is_listed_and_a_supply_over_30_days_refused(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    panel = _panel(qtbot, nurse_ctx, course_id)
    refused: list[str] = []

    def fill(dialog: FillDialog) -> None:
        dialog.days_supply_input.clear()
        qtbot.keyClicks(dialog.days_supply_input, "31")
        qtbot.mouseClick(dialog.save_button, CLICK)
        refused.append(dialog.problems.problem_label("days_supply").text())
        dialog.days_supply_input.clear()
        qtbot.keyClicks(dialog.days_supply_input, "30")
        qtbot.keyClicks(dialog.capsules_input, "60")
        qtbot.mouseClick(dialog.save_button, CLICK)

    answer_modal(FillDialog, fill)
    qtbot.mouseClick(panel.fill_button, CLICK)
    assert refused == [
        "A fill covers 1 to 30 days; iPLEDGE allows at most a 30-day supply with no refills."
    ]
    assert _rows(panel.records_panel.fills_model) == [["2026-11-20", "30", "60", "2026-12-19"]]
    assert panel.cycle_panel.prescription_label.text() == (
        "Last fill 2026-11-20 (30 days' supply); the next prescription is needed by 2026-12-20."
    )


def test_fills_list_the_capsules_dispensed_newest_first(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    record_fill(nurse_ctx, course_id, Fill(date(2026, 11, 3), 16))  # capsules not known
    record_fill(nurse_ctx, course_id, Fill(date(2026, 11, 19), 28), capsules=1120)
    panel = _panel(qtbot, nurse_ctx, course_id)
    model = panel.records_panel.fills_model
    assert model.headerData(2, Qt.Orientation.Horizontal) == "Capsules"
    assert _rows(model) == [
        ["2026-11-19", "28", "1,120", "2026-12-16"],
        ["2026-11-03", "16", "not recorded", "2026-11-18"],
    ]


def test_after_the_last_dose_the_panel_shows_the_post_course_duties_not_a_window(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    """domain.md §1.7: no more prescriptions, so no month's steps or fill window; the tests
    and restrictions after the course instead."""
    course = get_course_overview(nurse_ctx, course_id).course
    end_course(nurse_ctx, course.id, course.version, date(2026, 11, 18))
    record_pregnancy_test(
        nurse_ctx, course_id, _test(PregnancyTestPurpose.END_OF_COURSE, date(2026, 11, 19))
    )
    panel = _panel(qtbot, nurse_ctx, course_id)
    assert not panel.cycle_panel.isVisible()
    assert panel.post_course_panel.isVisible()
    rows = panel.post_course_panel.shown_rows()
    assert rows["End-of-course pregnancy test"] == "Done: negative, specimen Thu 2026-11-19"
    assert rows["Pregnancy test 1 month after"] == "Due Fri 2026-12-18 (in 28 days)"
    assert rows["Contraception until"] == "Fri 2026-12-18 (in 28 days)"
    assert panel.pregnancy_test_button.isVisible()  # the tests after the course go here


def test_a_patient_who_cannot_get_pregnant_sees_no_pregnancy_sections(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    course = start_test_course(
        nurse_ctx,
        sex_at_birth=SexAtBirth.MALE,
        risk_category=RiskCategory.CANNOT_GET_PREGNANT,
    )
    panel = _panel(qtbot, nurse_ctx, course.id)
    assert panel.category_label.isVisible()
    assert panel.category_label.text() == (
        "No pregnancy tests or contraception: the prescriber assigned the category "
        "“Patient who cannot get pregnant”."
    )
    assert not panel.pregnancy_test_button.isVisible()
    assert not panel.contraception_button.isVisible()
    assert not panel.records_panel.pregnancy_tests_box.isVisible()
    assert not panel.first_course_panel.isVisible()
    steps = _rows(panel.cycle_panel.steps_model)
    assert [s[0] for s in steps] == ["Prescriber confirms counselling in iPLEDGE"]


def test_tab_goes_through_the_buttons_then_the_tables(
    qtbot: QtBot, prescriber_ctx: Context, course_id: int
) -> None:
    panel = _panel(qtbot, prescriber_ctx, course_id)
    chain = (
        panel.pregnancy_test_button, panel.contraception_button, panel.fill_button,
        panel.counseling_button, panel.comprehension_button, panel.cycle_panel.steps_table,
        panel.records_panel.pregnancy_tests_table,
    )  # fmt: skip
    for first, second in pairwise(chain):
        assert next_tab_stop(first) is second
