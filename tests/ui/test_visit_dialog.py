"""The monthly visit: every section saved by one Save, PHQ-2 positive forcing the PHQ-9,
the item 9 banner, problems beside their fields, and a visit saved with the keyboard only."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QWidget
from pytestqt.qtbot import QtBot

from desktop.rules.counseling_topics import CounselingTopic
from desktop.rules.side_effects import EffectSeverity, ReportedEffect, SideEffect
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.course_overview import get_course_overview
from desktop.services.course_records import CourseRecord
from desktop.services.patients import register_patient
from desktop.services.visits import list_visits
from desktop.ui import messages
from desktop.ui.visit.visit_dialog import SELF_HARM_BANNER, VisitDialog
from tests.conftest import patient_draft
from tests.services.test_courses import course_draft
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import type_text

MAX_TABS = 120


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    """60 kg at 0.5 mg/kg/day (AM 10 mg, PM 20 mg) since 2026-11-02."""
    patient = register_patient(nurse_ctx, patient_draft())
    return start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))


@pytest.fixture
def shown_flags(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """What the dialog showed through messages.py after saving."""
    shown: list[str] = []
    monkeypatch.setattr(messages, "show_error", lambda _parent, error: shown.append(str(error)))
    return shown


def _dialog(qtbot: QtBot, ctx: Context, course: CourseRecord) -> VisitDialog:
    dialog = VisitDialog(ctx, course)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _answer(box: QComboBox, score: int) -> None:
    box.setCurrentIndex(box.findData(score))


def _tick(dialog: VisitDialog, effect: SideEffect, severity: EffectSeverity) -> None:
    panel = dialog.side_effects_panel
    panel.checkboxes[effect].setChecked(True)
    box = panel.severity_inputs[effect]
    box.setCurrentIndex(box.findData(severity.value))


def _save(qtbot: QtBot, dialog: VisitDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_a_visit_with_every_section_is_saved_by_one_save(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord, shown_flags: list[str]
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course)
    assert "AM 10 mg · PM 20 mg" in dialog.header_label.text()
    assert dialog.seen_on_input.text() == "2026-11-20"
    assert dialog.next_visit_input.text() == "2026-12-18"
    qtbot.keyClicks(dialog.weight_input.number_edit, "135 lb")
    assert dialog.weight_input.both_units_label.text() == "61.2 kg (135.0 lb)"
    qtbot.keyClicks(dialog.missed_days_input.dates_edit, "2026-11-08")
    _tick(dialog, SideEffect.DRY_LIPS, EffectSeverity.MILD)
    _tick(dialog, SideEffect.DRY_SKIN, EffectSeverity.MODERATE)
    mood = dialog.mood_panel
    _answer(mood.question_inputs[0], 0)
    _answer(mood.question_inputs[1], 1)
    assert mood.phq2_result_label.text() == "PHQ-2: 1 of 6, negative."
    assert not mood.phq9_box.isVisible()
    for topic in (CounselingTopic.NO_BLOOD_DONATION, CounselingTopic.SUN_PROTECTION):
        dialog.counseling_panel.checkboxes[topic].setChecked(True)
    type_text(dialog.notes_input, "Using lip balm; Zoë is coping")
    _save(qtbot, dialog)
    record = dialog.result_record
    assert record is not None
    assert not dialog.isVisible()
    assert shown_flags == []
    saved = list_visits(nurse_ctx, course.id)[0]
    assert (saved.seen_on, saved.next_visit_on) == (date(2026, 11, 20), date(2026, 12, 18))
    assert record.weight_kg == Decimal(135) * Decimal("0.45359237")
    assert saved.weight_kg == Decimal("61.2350")  # kept to 0.1 g
    assert saved.side_effects == (
        ReportedEffect(SideEffect.DRY_LIPS, EffectSeverity.MILD),
        ReportedEffect(SideEffect.DRY_SKIN, EffectSeverity.MODERATE),
    )
    assert saved.mood.phq2.items == (0, 1)
    assert saved.counseling_topics == (
        CounselingTopic.NO_BLOOD_DONATION,
        CounselingTopic.SUN_PROTECTION,
    )
    assert (saved.dose_decision, saved.notes) == (
        "continue current dose",
        "Using lip balm; Zoë is coping",
    )
    assert get_course_overview(nurse_ctx, course.id).missed_days == (date(2026, 11, 8),)


def test_a_dose_change_is_decided_at_the_visit(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord, shown_flags: list[str]
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course)
    qtbot.keyClicks(dialog.weight_input.number_edit, "60")
    _answer(dialog.mood_panel.question_inputs[0], 0)
    _answer(dialog.mood_panel.question_inputs[1], 0)
    decision = dialog.dose_decision_panel
    assert not decision.change_box.isVisible()
    decision.change_input.setChecked(True)
    assert decision.change_box.isVisible()
    qtbot.keyClicks(decision.mg_per_kg_day_input, "1")
    assert decision.preview.regimen_label.text() == "AM 30 mg · PM 30 mg = 60 mg/day"
    _save(qtbot, dialog)
    message = "Give the reason for the change."
    assert dialog.problems.problem_label("reason").text() == message
    assert dialog.error_label.text() == message
    assert dialog.focusWidget() is decision.reason_input
    qtbot.keyClicks(decision.reason_input, "tolerating well")
    _save(qtbot, dialog)
    assert dialog.result_record is not None
    assert dialog.result_record.dose_decision.startswith("change to 1 mg/kg/day")
    dose = get_course_overview(nurse_ctx, course.id).dose
    assert dose is not None
    assert dose.mg_per_day == Decimal(60)


def test_positive_phq2_forces_the_phq9(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course)
    mood = dialog.mood_panel
    qtbot.keyClicks(dialog.weight_input.number_edit, "60")
    _answer(mood.question_inputs[0], 2)
    _answer(mood.question_inputs[1], 2)
    assert mood.phq2_result_label.text() == "PHQ-2: 4 of 6, positive (≥ 3): ask questions 3–9 now."
    assert mood.phq9_box.isVisible()
    assert mood.phq9_toggle.isChecked()
    assert not mood.phq9_toggle.isEnabled()
    _save(qtbot, dialog)
    assert dialog.error_label.text() == "Answer PHQ-9 question 3."
    assert dialog.focusWidget() is mood.question_inputs[2]
    assert dialog.result_record is None


def test_item_nine_above_zero_shows_the_same_day_banner_and_flags_on_save(
    qtbot: QtBot,
    nurse_ctx: Context,
    course: CourseRecord,
    shown_flags: list[str],
    screenshot: Screenshot,
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course)
    assert not dialog.urgent_banner.isVisible()
    qtbot.keyClicks(dialog.weight_input.number_edit, "60")
    for box, score in zip(
        dialog.mood_panel.question_inputs, (2, 2, 1, 1, 0, 1, 0, 0, 1), strict=True
    ):
        _answer(box, score)
    assert dialog.mood_panel.phq9_result_label.text() == "PHQ-9: 8 of 27 (mild)."
    assert dialog.urgent_banner.isVisible()
    assert dialog.urgent_banner.text() == SELF_HARM_BANNER
    _tick(dialog, SideEffect.SEVERE_ABDOMINAL_PAIN, EffectSeverity.MODERATE)
    assert dialog.urgent_banner.text().splitlines() == [
        SELF_HARM_BANNER,
        "Stop-and-call symptom: Severe stomach or back pain. Tell the prescriber today.",
    ]
    dialog.scroll_area.ensureWidgetVisible(dialog.mood_panel.question_inputs[8])
    assert dialog.urgent_banner.isVisible()  # outside the scrolling form: always in view
    screenshot(dialog, "visit-dialog-item-9")
    _save(qtbot, dialog)
    assert dialog.result_record is not None
    assert dialog.result_record.mood.needs_same_day_follow_up
    assert len(shown_flags) == 1
    assert "PHQ-9 question 9 (thoughts of self-harm)" in shown_flags[0]
    assert "Stop-and-call symptom reported (severe abdominal pain)" in shown_flags[0]


def test_a_ticked_side_effect_needs_its_severity(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course)
    qtbot.keyClicks(dialog.weight_input.number_edit, "60")
    dialog.side_effects_panel.checkboxes[SideEffect.HEADACHE].setChecked(True)
    _answer(dialog.mood_panel.question_inputs[0], 0)
    _answer(dialog.mood_panel.question_inputs[1], 0)
    _save(qtbot, dialog)
    assert dialog.error_label.text() == "Choose how severe “Headache” is."
    assert dialog.focusWidget() is dialog.side_effects_panel.severity_inputs[SideEffect.HEADACHE]


def test_a_future_visit_date_is_refused_beside_the_date(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course)
    dialog.seen_on_input.clear()
    qtbot.keyClicks(dialog.seen_on_input, "2026-11-21")
    assert dialog.next_visit_input.text() == "2026-12-19"
    qtbot.keyClicks(dialog.weight_input.number_edit, "60")
    _answer(dialog.mood_panel.question_inputs[0], 0)
    _answer(dialog.mood_panel.question_inputs[1], 0)
    _save(qtbot, dialog)
    message = "Enter the visit date (today or earlier)."
    assert dialog.problems.problem_label("seen_on").text() == message
    assert dialog.focusWidget() is dialog.seen_on_input
    assert list_visits(nurse_ctx, course.id) == ()


def _tab_to(qtbot: QtBot, dialog: VisitDialog, target: QWidget) -> None:
    for _ in range(MAX_TABS):
        if dialog.focusWidget() is target:
            return
        qtbot.keyClick(dialog.focusWidget(), Qt.Key.Key_Tab)
    pytest.fail(f"Tab never reached {target.accessibleName() or target}")


def test_a_visit_can_be_saved_with_the_keyboard_only(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord, shown_flags: list[str]
) -> None:
    dialog = _dialog(qtbot, nurse_ctx, course)
    assert dialog.focusWidget() is dialog.weight_input.number_edit
    qtbot.keyClicks(dialog.focusWidget(), "60,5")
    first, second = dialog.mood_panel.question_inputs[:2]
    _tab_to(qtbot, dialog, first)
    qtbot.keyClicks(first, "0")
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is second
    qtbot.keyClicks(second, "1")
    _tab_to(qtbot, dialog, dialog.notes_input)
    qtbot.keyClicks(dialog.notes_input, "All well")
    qtbot.keyClick(dialog.notes_input, Qt.Key.Key_Tab)
    assert dialog.focusWidget() is dialog.next_visit_input
    qtbot.keyClick(dialog.next_visit_input, Qt.Key.Key_Return)
    assert dialog.result_record is not None
    assert dialog.result_record.weight_kg == Decimal("60.5")
    assert dialog.result_record.mood.phq2.items == (0, 1)
    assert dialog.result_record.notes == "All well"
