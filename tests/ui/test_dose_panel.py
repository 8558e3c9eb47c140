"""The dose panel: regimen in capsules, progress to target, weights in kg and lb, missed
days, the calculator, and dose changes (nurse, prescriber override, stale edits)."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.services.course_dosing import change_dose, start_course
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_records import CourseRecord, DoseChangeDraft
from desktop.services.patients import register_patient
from desktop.ui.course.dose_change_dialog import DoseChangeDialog
from desktop.ui.course.dose_panel import DosePanel
from desktop.ui.course.missed_days_dialog import MissedDaysDialog
from desktop.ui.course.weight_dialog import WeightDialog
from tests.conftest import patient_draft
from tests.services.test_courses import course_draft
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import answer_modal


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    """60 kg at 0.5 mg/kg/day (AM 10 mg, PM 20 mg) since 2026-11-02."""
    patient = register_patient(nurse_ctx, patient_draft())
    return start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))


def _panel(qtbot: QtBot, ctx: Context, course: CourseRecord) -> DosePanel:
    panel = DosePanel(ctx, course.id)
    qtbot.addWidget(panel)
    panel.resize(900, 600)
    panel.show()
    return panel


def _click(qtbot: QtBot, button: object) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _cells(panel: DosePanel) -> list[list[str]]:
    model = panel.weights_model
    return [
        [model.data(model.index(row, column)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ]


def test_panel_shows_the_regimen_progress_and_projection(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord, screenshot: Screenshot
) -> None:
    panel = _panel(qtbot, nurse_ctx, course)
    assert panel.regimen_label.text() == "AM 10 mg · PM 20 mg = 30 mg/day"
    assert panel.capsules_label.text() == "Capsules: AM 1 × 10 mg · PM 1 × 20 mg"
    assert panel.product_label.text().startswith("Isotretinoin (generic). Take each dose with")
    assert panel.achieved_label.text() == "0.50 mg/kg/day at 60.0 kg (132.3 lb)"
    # 2 Nov to 20 Nov inclusive: 19 days × 30 mg = 570 mg = 9.50 mg/kg of 150.
    assert panel.cumulative_label.text() == "Cumulative 570 mg = 9.50 mg/kg over 19 dosing days"
    assert panel.progress_bar.text() == "9.5 of 150 mg/kg (6%)"
    # (150 − 9.5) × 60 kg = 8,430 mg at 30 mg/day = 281 days after 20 Nov.
    assert panel.projection_label.text() == (
        "Projected last dose Sat 2027-08-28: 281 more days at 30 mg/day (8,430 mg to go)."
    )
    assert panel.missed_days_label.text() == "Missed days: none recorded."
    assert _cells(panel) == [["2026-11-02", "60.0", "132.3"]]
    screenshot(panel, "dose-panel")


def test_weight_recorded_in_pounds_is_listed_in_both_units(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord
) -> None:
    panel = _panel(qtbot, nurse_ctx, course)

    def weigh(dialog: WeightDialog) -> None:
        qtbot.keyClicks(dialog.weight_input.number_edit, "160 lb")
        assert dialog.weight_input.both_units_label.text() == "72.6 kg (160.0 lb)"
        _click(qtbot, dialog.save_button)

    seen = answer_modal(WeightDialog, weigh)
    with qtbot.waitSignal(panel.course_changed):
        _click(qtbot, panel.record_weight_button)
    assert seen
    assert _cells(panel) == [["2026-11-20", "72.6", "160.0"], ["2026-11-02", "60.0", "132.3"]]
    assert panel.achieved_label.text() == "0.41 mg/kg/day at 72.6 kg (160.0 lb)"


def test_missed_days_are_typed_as_dates_and_ranges_and_not_counted(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord
) -> None:
    panel = _panel(qtbot, nurse_ctx, course)

    def miss(dialog: MissedDaysDialog) -> None:
        qtbot.keyClicks(dialog.missed_days_input.dates_edit, "2026-11-08, 11/10/2026 to 11/11/2026")
        summary = "3 days: 2026-11-08, 2026-11-10, 2026-11-11"
        assert dialog.missed_days_input.summary_label.text() == summary
        _click(qtbot, dialog.save_button)

    answer_modal(MissedDaysDialog, miss)
    _click(qtbot, panel.record_missed_button)
    assert panel.missed_days_label.text() == (
        "Missed days: 3 days: 2026-11-08, 2026-11-10, 2026-11-11"
    )
    assert panel.cumulative_label.text() == "Cumulative 480 mg = 8.00 mg/kg over 16 dosing days"


def test_calculator_previews_and_applies_a_dose_change(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord
) -> None:
    panel = _panel(qtbot, nurse_ctx, course)
    calculator = panel.calculator
    assert calculator.weight_label.text() == "At the current weight, 60.0 kg (132.3 lb)"
    qtbot.keyClicks(calculator.mg_per_kg_day_input, "1")
    assert calculator.preview.regimen_label.text() == "AM 30 mg · PM 30 mg = 60 mg/day"
    assert panel.regimen_label.text() == "AM 10 mg · PM 20 mg = 30 mg/day"  # nothing saved

    def apply(dialog: DoseChangeDialog) -> None:
        assert dialog.mg_per_kg_day_input.text() == "1"
        assert dialog.preview.regimen_label.text() == "AM 30 mg · PM 30 mg = 60 mg/day"
        qtbot.keyClicks(dialog.reason_input, "tolerating well; increase as planned")
        qtbot.keyClick(dialog.reason_input, Qt.Key.Key_Return)

    answer_modal(DoseChangeDialog, apply)
    with qtbot.waitSignal(panel.course_changed):
        _click(qtbot, calculator.apply_button)
    assert panel.regimen_label.text() == "AM 30 mg · PM 30 mg = 60 mg/day"
    assert panel.achieved_label.text() == "1.00 mg/kg/day at 60.0 kg (132.3 lb)"
    model = panel.dose_changes_model
    assert [
        [model.data(model.index(row, column)) for column in range(model.columnCount())]
        for row in range(model.rowCount())
    ] == [
        ["2026-11-02", "30", "10 + 20", "Isotretinoin (generic)", "starting dose"],
        [
            "2026-11-20",
            "60",
            "30 + 30",
            "Isotretinoin (generic)",
            "tolerating well; increase as planned",
        ],
    ]
    assert model.data(model.index(1, 4), Qt.ItemDataRole.ToolTipRole) == "Recorded by Nina Nurse"


def _change_dialog(qtbot: QtBot, ctx: Context, course: CourseRecord) -> DoseChangeDialog:
    dialog = DoseChangeDialog(ctx, course, Decimal(60))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_nurse_cannot_override_the_maximum(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord
) -> None:
    dialog = _change_dialog(qtbot, nurse_ctx, course)
    assert not dialog.prescriber_override_input.isEnabled()
    qtbot.keyClicks(dialog.mg_per_kg_day_input, "2.5")
    qtbot.keyClicks(dialog.reason_input, "severe truncal acne")
    assert "needs a prescriber override" in dialog.preview.warnings_label.text()
    dialog.prescriber_override_input.setChecked(True)  # the box is greyed out; forced here
    _click(qtbot, dialog.save_button)
    message = "Only a prescriber can override the maximum."
    assert dialog.problems.problem_label("prescriber_override").text() == message
    assert dialog.error_label.text() == message
    assert dialog.result_record is None


def test_a_prescriber_overrides_the_maximum(
    qtbot: QtBot, prescriber_ctx: Context, course: CourseRecord
) -> None:
    dialog = _change_dialog(qtbot, prescriber_ctx, course)
    assert dialog.prescriber_override_input.isEnabled()
    qtbot.keyClicks(dialog.mg_per_kg_day_input, "2.5")
    dialog.prescriber_override_input.setChecked(True)
    assert dialog.preview.regimen_label.text() == "AM 70 mg · PM 80 mg = 150 mg/day"
    assert "given on prescriber override" in dialog.preview.warnings_label.text()
    qtbot.keyClicks(dialog.reason_input, "severe truncal acne")
    _click(qtbot, dialog.save_button)
    assert dialog.result_record is not None
    assert dialog.result_record.version > course.version


def test_a_reason_is_required(qtbot: QtBot, nurse_ctx: Context, course: CourseRecord) -> None:
    dialog = _change_dialog(qtbot, nurse_ctx, course)
    qtbot.keyClicks(dialog.mg_per_kg_day_input, "0.75")
    _click(qtbot, dialog.save_button)
    assert dialog.problems.problem_label("reason").text() == "Give the reason for the change."
    assert dialog.focusWidget() is dialog.reason_input


def test_a_stale_dose_change_names_who_changed_the_course(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, course: CourseRecord
) -> None:
    dialog = _change_dialog(qtbot, nurse_ctx, course)
    change_dose(
        prescriber_ctx,
        DoseChangeDraft(course.id, course.version, date(2026, 11, 19), Decimal(1), "generic", "up"),
    )
    qtbot.keyClicks(dialog.mg_per_kg_day_input, "0.75")
    qtbot.keyClicks(dialog.reason_input, "dry lips; keep it gentle")
    _click(qtbot, dialog.save_button)
    assert dialog.error_label.text().startswith(
        "This course was changed by Dr Priya Park at 2026-11-20 10:30 EST after you opened it."
    )
    assert dialog.result_record is None
    assert list_courses(nurse_ctx, course.patient_id)[0].version == course.version + 1
