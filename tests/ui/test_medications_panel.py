"""The medication list on the chart's Overview tab, driven by keyboard as a nurse would: an
entry raises its interaction warning in the header (domain.md §6), stopping it clears the
warning, and the History tab shows each change."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.rules.dosing import Severity
from desktop.rules.interactions import Caution, CautionCode, PatientFlags, medication_cautions
from desktop.rules.medications import STOPPED_IN_FUTURE, MedicationDraft
from desktop.services.context import Context
from desktop.services.medications import add_medication, list_medications, update_medication
from desktop.services.patients import register_patient
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.chart.medication_dialog import MedicationDialog, StopMedicationDialog
from desktop.ui.chart.patient_chart_view import PatientChartView
from desktop.ui.chart.patient_header_panel import HARD_STOP, NOTE, WARNING, interaction_flags
from tests.conftest import patient_draft
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import answer_modal

ALT = Qt.KeyboardModifier.AltModifier
TETRACYCLINE_WARNING = "Doxycycline is a tetracycline: with isotretinoin it risks intracranial"


def _chart(qtbot: QtBot, ctx: Context) -> PatientChartView:
    patient = register_patient(ctx, patient_draft())
    chart = PatientChartView(ctx, patient.id)
    qtbot.addWidget(chart)
    chart.resize(1000, 800)
    chart.show()
    with qtbot.waitActive(chart):
        chart.activateWindow()
    return chart


def _warnings(chart: PatientChartView) -> list[str]:
    return [t for t in chart.header.flag_texts() if "tetracycline" in t]


def _history_actions(chart: PatientChartView) -> list[str]:
    model = chart.history_model
    return [model.data(model.index(row, 3)) for row in range(model.rowCount())]


def test_nurse_adds_doxycycline_by_keyboard_and_stopping_it_clears_the_warning(
    qtbot: QtBot, nurse_ctx: Context, screenshot: Screenshot
) -> None:
    chart = _chart(qtbot, nurse_ctx)
    panel = chart.medications_panel
    assert chart.header.flag_texts() == []
    assert panel.empty_label.isVisible()

    def add_doxycycline(dialog: MedicationDialog) -> None:
        first_field["add"] = dialog.focusWidget() is dialog.name_input
        qtbot.keyClicks(dialog.name_input, "Doxycycline")
        qtbot.keyClick(dialog.name_input, Qt.Key.Key_Tab)
        qtbot.keyClicks(dialog.dose_input, "100 mg twice daily")
        qtbot.keyClick(dialog.dose_input, Qt.Key.Key_Return)

    first_field: dict[str, bool] = {}
    added = answer_modal(MedicationDialog, add_doxycycline)
    with qtbot.waitSignal(chart.record_changed):
        qtbot.keyClick(chart, Qt.Key.Key_A, ALT)
    assert added
    qtbot.waitUntil(lambda: bool(_warnings(chart)))
    [warning] = [label for label in chart.header.flag_labels if "tetracycline" in label.text()]
    assert warning.text().startswith(TETRACYCLINE_WARNING)
    assert warning.objectName() == "warningFlag"
    assert panel.model.rowCount() == 1
    assert [panel.model.data(panel.model.index(0, c)) for c in range(4)] == [
        "Doxycycline",
        "100 mg twice daily",
        "",
        "",
    ]
    assert not panel.empty_label.isVisible()
    screenshot(chart, "patient-chart-medications")

    chart.activateWindow()  # back from the dialog, as the nurse's window is
    qtbot.waitUntil(chart.isActiveWindow)
    panel.table.setFocus()
    panel.table.selectRow(0)
    assert panel.stop_button.isEnabled()

    def stop_it(dialog: StopMedicationDialog) -> None:
        first_field["stop date is today"] = dialog.stopped_on_input.text() == "2026-11-20"
        first_field["stop"] = dialog.focusWidget() is dialog.reason_input
        qtbot.keyClicks(dialog.reason_input, "Prescriber stopped it: interaction")
        qtbot.keyClick(dialog.reason_input, Qt.Key.Key_Return)

    stopped = answer_modal(StopMedicationDialog, stop_it)
    with qtbot.waitSignal(chart.record_changed):
        qtbot.keyClick(chart, Qt.Key.Key_P, ALT)
    assert stopped
    assert first_field == {"add": True, "stop date is today": True, "stop": True}
    qtbot.waitUntil(lambda: not _warnings(chart))
    assert chart.header.flag_texts() == []
    row = [panel.model.data(panel.model.index(0, c)) for c in range(4)]
    assert row[3] == "2026-11-20: Prescriber stopped it: interaction"
    assert not panel.stop_button.isEnabled()  # still selected, and stopped

    chart.show_tab(ChartTab.HISTORY)
    assert _history_actions(chart)[:2] == ["Medication stopped", "Medication added"]
    model = chart.history_model
    assert model.data(model.index(0, 4)).splitlines() == [
        "Name: Doxycycline",
        "Stop reason: Prescriber stopped it: interaction",
        "Stopped on: 2026-11-20",
    ]


def test_problems_show_beside_the_field_and_esc_cancels(qtbot: QtBot, nurse_ctx: Context) -> None:
    chart = _chart(qtbot, nurse_ctx)
    add_medication(nurse_ctx, chart.patient_id, MedicationDraft("Vitamin A 10000 IU"))
    chart.reload()
    qtbot.waitUntil(lambda: chart.medications_panel.model.rowCount() == 1)
    assert any(
        t.startswith("Vitamin A 10000 IU contains vitamin A") for t in chart.header.flag_texts()
    )
    panel = chart.medications_panel
    panel.table.selectRow(0)

    shown: dict[str, object] = {}

    def future_stop(dialog: StopMedicationDialog) -> None:
        dialog.stopped_on_input.setText("2026-12-01")
        qtbot.keyClicks(dialog.reason_input, "done")
        qtbot.keyClick(dialog.reason_input, Qt.Key.Key_Return)
        shown["problem"] = dialog.problems.problem_label("stopped_on").text()
        shown["still open"] = dialog.isVisible()
        shown["focus"] = dialog.focusWidget() is dialog.stopped_on_input
        qtbot.keyClick(dialog.focusWidget() or dialog, Qt.Key.Key_Escape)
        if dialog.isVisible():
            dialog.reject()  # never leave the test waiting on a dialog Esc missed
            shown["esc missed"] = True

    seen = answer_modal(StopMedicationDialog, future_stop)
    qtbot.mouseClick(panel.stop_button, Qt.MouseButton.LeftButton)
    assert seen
    assert shown == {"problem": STOPPED_IN_FUTURE, "still open": True, "focus": True}
    assert seen[0].result_record is None
    assert list_medications(nurse_ctx, chart.patient_id)[0].is_current


def test_edit_opens_on_the_latest_version_saved_elsewhere(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    chart = _chart(qtbot, nurse_ctx)
    saved = add_medication(nurse_ctx, chart.patient_id, MedicationDraft("Doxycycline", "100 mg"))
    chart.reload()
    qtbot.waitUntil(lambda: chart.medications_panel.model.rowCount() == 1)
    # Another workstation changes the dose after this chart listed it.
    update_medication(
        prescriber_ctx, saved.id, saved.version, MedicationDraft("Doxycycline", "50 mg")
    )
    panel = chart.medications_panel
    panel.table.selectRow(0)

    def change_dose(dialog: MedicationDialog) -> None:
        opened_with.append(dialog.dose_input.text())
        dialog.dose_input.selectAll()
        qtbot.keyClicks(dialog.dose_input, "50 mg at night")
        qtbot.keyClick(dialog.dose_input, Qt.Key.Key_Return)

    opened_with: list[str] = []
    seen = answer_modal(MedicationDialog, change_dose)
    with qtbot.waitSignal(chart.record_changed):
        qtbot.keyClick(chart, Qt.Key.Key_D, ALT)
    assert seen
    assert seen[0].result_record is not None
    assert opened_with == ["50 mg"]
    assert list_medications(nurse_ctx, chart.patient_id)[0].dose == "50 mg at night"
    assert _history_actions(chart)[0] == "Medication edited"


def test_header_colours_each_interaction_by_severity_and_leaves_state_stops_to_their_flags() -> (
    None
):
    cautions = medication_cautions(
        ["Doxycycline", "Prednisone 5 mg", "Daily multivitamin"],
        PatientFlags(has_retinoid_allergy=True),
    )
    shown = [(f.text.split(" ")[0], f.style) for f in interaction_flags(cautions)]
    assert shown == [("Doxycycline", WARNING), ("Prednisone", WARNING), ("Daily", NOTE)]
    stop = Caution(CautionCode.TETRACYCLINE, Severity.STOP, "Stop it", "Minocycline")
    assert [f.style for f in interaction_flags([stop])] == [HARD_STOP]
