"""The chart: header and flags, the overview, and the history newest first with old → new."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.services.patients import register_patient, update_patient
from desktop.ui.chart.patient_chart_view import PatientChartView
from desktop.ui.patients.patient_dialog import PatientDialog
from tests.conftest import patient_draft
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import answer_modal


def _chart(qtbot: QtBot, ctx: Context, patient_id: int) -> PatientChartView:
    chart = PatientChartView(ctx, patient_id)
    qtbot.addWidget(chart)
    chart.resize(1000, 600)
    chart.show()
    return chart


def _history_row(chart: PatientChartView, row: int) -> list[str]:
    model = chart.history_model
    return [model.data(model.index(row, column)) for column in range(model.columnCount())]


def test_header_shows_name_age_mrn_category_and_flags(qtbot: QtBot, nurse_ctx: Context) -> None:
    patient = register_patient(
        nurse_ctx, patient_draft(has_retinoid_allergy=True, is_pregnant_or_breastfeeding=True)
    )
    chart = _chart(qtbot, nurse_ctx, patient.id)
    assert chart.name_label.text() == "Zoë O'Brien-Núñez (“Zo”)"
    assert chart.summary_label.text() == (
        "2001-03-14 (age 25)  ·  MRN MRN-1001  ·  Patient who can get pregnant"
    )
    assert chart.pregnancy_flag_label.isVisible()
    assert chart.allergy_flag_label.isVisible()
    assert chart.overview_values["phone"].text() == "+1 555 010 2000"
    assert chart.overview_values["guardian_name"].text() == "—"


def test_flags_stay_hidden_when_they_do_not_apply(qtbot: QtBot, nurse_ctx: Context) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    chart = _chart(qtbot, nurse_ctx, patient.id)
    assert not chart.pregnancy_flag_label.isVisible()
    assert not chart.allergy_flag_label.isVisible()


def test_history_shows_the_edit_first_with_old_and_new_values(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, screenshot: Screenshot
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    update_patient(prescriber_ctx, patient.id, patient.version, patient_draft(phone="555 123 4567"))
    chart = _chart(qtbot, nurse_ctx, patient.id)
    chart.tabs.setCurrentIndex(1)
    assert chart.tabs.tabText(1) == "&History"
    assert chart.history_model.rowCount() == 2
    when, who, workstation, action, changes = _history_row(chart, 0)
    assert when == "2026-11-20 10:30"  # 15:30 UTC, shown in the clinic's New York time
    assert (who, workstation, action) == ("Dr Priya Park", "test-workstation", "Edited")
    assert changes == "Phone: +1 555 010 2000 → 555 123 4567"
    registered = _history_row(chart, 1)
    assert registered[1:4] == ["Nina Nurse", "test-workstation", "Registered"]
    assert "Legal name: Zoë O'Brien-Núñez" in registered[4]
    assert "Sex assigned at birth: Female" in registered[4]
    screenshot(chart, "patient-chart-history")


def test_edit_button_opens_the_form_and_the_chart_shows_the_change(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    chart = _chart(qtbot, nurse_ctx, patient.id)

    def change_phone(dialog: PatientDialog) -> None:
        dialog.form.phone_input.clear()
        qtbot.keyClicks(dialog.form.phone_input, "555 222 3333")
        qtbot.keyClick(dialog.form.phone_input, Qt.Key.Key_Return)

    answer_modal(PatientDialog, change_phone)
    with qtbot.waitSignal(chart.patient_changed):
        qtbot.mouseClick(chart.edit_button, Qt.MouseButton.LeftButton)
    assert chart.overview_values["phone"].text() == "555 222 3333"
    assert _history_row(chart, 0)[4] == "Phone: +1 555 010 2000 → 555 222 3333"
