"""Every dialog and every chart tab is built once and shown as a nurse sees it (optional parts
revealed); the Alt-key letters of the labels, buttons, group boxes, tabs and menus shown
together must all differ, or Alt+letter cannot say which one it means."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton, QVBoxLayout, QWidget
from pytestqt.qtbot import QtBot

from desktop.rules.medications import MedicationDraft
from desktop.rules.side_effects import EffectSeverity, ReportedEffect, SideEffect
from desktop.rules.units import WeightUnit
from desktop.services.consents import consent_needs
from desktop.services.context import Context
from desktop.services.course_overview import get_course_overview
from desktop.services.course_records import CourseRecord
from desktop.services.ipledge_steps import confirm_counseling
from desktop.services.medications import add_medication
from desktop.services.patients import get_patient, register_patient
from desktop.services.printing import print_consent_packet
from desktop.services.staff import find_staff
from desktop.services.visits import VisitDraft, list_visits, record_visit
from desktop.ui.backup.backup_dialog import BackupDialog
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.chart.medication_dialog import MedicationDialog, StopMedicationDialog
from desktop.ui.consents.consent_sign_dialog import ConsentSignDialog
from desktop.ui.course.course_action_dialog import CourseAction, CourseActionDialog
from desktop.ui.course.dose_change_dialog import DoseChangeDialog
from desktop.ui.course.missed_days_dialog import MissedDaysDialog
from desktop.ui.course.start_course_dialog import StartCourseDialog
from desktop.ui.course.weight_dialog import WeightDialog
from desktop.ui.ipledge.contraception_dialog import ContraceptionDialog
from desktop.ui.ipledge.counseling_correction_dialog import CounselingCorrectionDialog
from desktop.ui.ipledge.fill_dialog import FillDialog
from desktop.ui.ipledge.pregnancy_test_dialog import PregnancyTestDialog
from desktop.ui.labs.lab_entry_dialog import LabEntryDialog
from desktop.ui.login.login_dialog import LoginDialog
from desktop.ui.login.setup_dialog import SetupDialog
from desktop.ui.main_window import MainWindow
from desktop.ui.patients.patient_dialog import PatientDialog
from desktop.ui.printing.print_preview_dialog import PrintPreviewDialog
from desktop.ui.settings.clinic_form_add_dialog import ClinicFormAddDialog
from desktop.ui.settings.clinic_forms_dialog import ClinicFormsDialog
from desktop.ui.settings.clinic_settings_dialog import ClinicSettingsDialog
from desktop.ui.settings.consent_templates_dialog import ConsentTemplatesDialog
from desktop.ui.staff.reset_password_dialog import ResetPasswordDialog
from desktop.ui.staff.staff_dialog import StaffDialog
from desktop.ui.visit.visit_dialog import VisitDialog
from desktop.ui.visit.visit_view_dialog import VisitViewDialog
from tests.conftest import PASSWORD, patient_draft
from tests.ui.courses import start_test_course
from tests.ui.keyboard import answer_modal
from tests.ui.mnemonics import clashes, mnemonic, shown_mnemonics

ALT = Qt.KeyboardModifier.AltModifier
MINOR_BIRTH_DATE = date(2010, 6, 1)
"""16 on the test's today: the consent dialog shows its parent-or-guardian rows."""


def test_mnemonic_reads_the_letter_after_a_single_ampersand() -> None:
    assert [mnemonic(t) for t in ("Pri&nt", "&&Save", "A && B &c", "Edit patient…", "x&")] == [
        "N",
        None,
        "C",
        None,
        None,
    ]


def test_a_clash_is_found_and_hidden_widgets_are_left_out(qtbot: QtBot) -> None:
    """The audit's clash on the Course tab, as it was: Pri&nt above E&nd course…."""
    window = QWidget()
    qtbot.addWidget(window)
    layout = QVBoxLayout(window)
    hidden = QPushButton("&Hidden")
    for button in (QPushButton("Pri&nt"), QPushButton("E&nd course…"), hidden):
        layout.addWidget(button)
    hidden.hide()
    assert clashes(window) == {"N": ["Print", "End course…"]}
    assert "H" not in shown_mnemonics(window)


@pytest.fixture
def course(nurse_ctx: Context, prescriber_ctx: Context) -> CourseRecord:
    return start_test_course(nurse_ctx)


def _window(qtbot: QtBot, ctx: Context) -> MainWindow:
    window = MainWindow(ctx)
    qtbot.addWidget(window)
    window.show()
    with qtbot.waitActive(window):  # Alt+letter reaches only the active window
        window.activateWindow()
    return window


def test_the_worklist_and_each_chart_tab_with_the_window_around_them_have_no_clash(
    qtbot: QtBot, nurse_ctx: Context, course: CourseRecord
) -> None:
    window = _window(qtbot, nurse_ctx)
    assert window.worklist_view.isVisible()
    assert clashes(window) == {}  # the worklist's filters and Reload beside the menus
    window.open_chart(course.patient_id, course_id=course.id)
    chart = window.chart
    assert chart is not None
    found = {}
    for tab in ChartTab:
        chart.show_tab(tab)
        qtbot.waitUntil(
            lambda t=tab: t in chart.panels or t in (ChartTab.OVERVIEW, ChartTab.HISTORY)
        )
        found[tab.value] = clashes(window)
    assert found == {tab.value: {} for tab in ChartTab}
    chart.show_tab(ChartTab.OVERVIEW)
    qtbot.keyClick(chart, Qt.Key.Key_L, ALT)  # no longer shared with the Go menu
    assert chart.current_tab() is ChartTab.IPLEDGE
    opened = answer_modal(PatientDialog, lambda dialog: dialog.reject())
    qtbot.keyClick(chart, Qt.Key.Key_T, ALT)  # "Edit patient…" has a letter of its own now
    qtbot.waitUntil(lambda: bool(opened))  # a button's mnemonic clicks after its animation


def _visit(ctx: Context, course: CourseRecord) -> None:
    record_visit(
        ctx,
        VisitDraft(
            course.id,
            course.version,
            date(2026, 11, 20),
            Decimal(60),
            WeightUnit.KG,
            (0, 1),
            side_effects=(ReportedEffect(SideEffect.DRY_LIPS, EffectSeverity.MILD),),
        ),
    )


def _visit_dialog(ctx: Context, course: CourseRecord) -> QDialog:
    dialog = VisitDialog(ctx, course)
    dialog.mood_panel.phq9_toggle.setChecked(True)  # every question shown
    dialog.dose_decision_panel.change_input.setChecked(True)  # the change's fields shown
    return dialog


def _consent_dialog(ctx: Context) -> QDialog:
    minor = register_patient(
        ctx,
        patient_draft(
            mrn="MRN-MINOR", birth_date=MINOR_BIRTH_DATE, guardian_name="Mary O'Brien-Núñez",
            guardian_relationship="Mother",
        ),
    )  # fmt: skip
    return ConsentSignDialog(ctx, minor, consent_needs(ctx, minor.id))


def _medication_dialogs(ctx: Context, patient_id: int) -> list[QDialog]:
    taken = add_medication(ctx, patient_id, MedicationDraft("Vitamin D", "1000 IU daily"))
    return [
        MedicationDialog(ctx, patient_id),
        MedicationDialog(ctx, patient_id, existing=taken),
        StopMedicationDialog(ctx, taken),
    ]


def _counseling_correction_dialog(prescriber: Context, course: CourseRecord) -> QDialog:
    confirm_counseling(prescriber, course.id, date(2026, 11, 19), PASSWORD)
    (signed,) = get_course_overview(prescriber, course.id).counseling_confirmations
    return CounselingCorrectionDialog(prescriber, signed)


def _dialogs(
    nurse: Context, prescriber: Context, admin: Context, course: CourseRecord, folder: Path
) -> list[QDialog]:
    patient = get_patient(nurse, course.patient_id)
    new_patient = register_patient(nurse, patient_draft(mrn="MRN-NEW"))
    _visit(nurse, course)
    packet = print_consent_packet(nurse, patient.id)
    dialogs: list[QDialog] = [
        _visit_dialog(nurse, course),
        VisitViewDialog(list_visits(nurse, course.id)[0], nurse.time_zone),
        StartCourseDialog(prescriber, new_patient),
        *(CourseActionDialog(nurse, course, action) for action in CourseAction),
        DoseChangeDialog(prescriber, course, Decimal(60)),
        WeightDialog(nurse, course.id),
        MissedDaysDialog(nurse, course.id),
        PregnancyTestDialog(nurse, course.id),
        ContraceptionDialog(nurse, course.id),
        FillDialog(nurse, course.id),
        _counseling_correction_dialog(prescriber, course),
        LabEntryDialog(nurse, course.id),
        _consent_dialog(nurse),
        *_medication_dialogs(nurse, patient.id),
        PatientDialog(nurse),
        PatientDialog(nurse, existing=patient),
        PrintPreviewDialog(nurse, packet),
        StaffDialog(admin),
        ResetPasswordDialog(admin, find_staff(admin, "nina")),
        ClinicSettingsDialog(admin),
        ClinicFormsDialog(admin),
        ClinicFormAddDialog(admin),
        ConsentTemplatesDialog(admin),
        BackupDialog(admin, folder / "copy.db"),
        LoginDialog(nurse.clinic),
        SetupDialog(nurse.clinic),
    ]
    return dialogs


def test_no_two_things_shown_together_in_any_dialog_share_an_alt_letter(
    qtbot: QtBot,
    nurse_ctx: Context,
    prescriber_ctx: Context,
    admin_ctx: Context,
    course: CourseRecord,
    tmp_path: Path,
) -> None:
    dialogs = _dialogs(nurse_ctx, prescriber_ctx, admin_ctx, course, tmp_path)
    found: dict[str, dict[str, list[str]]] = {}
    for number, dialog in enumerate(dialogs, start=1):
        qtbot.addWidget(dialog)
        found[f"{number}. {type(dialog).__name__}: {dialog.windowTitle()}"] = clashes(dialog)
    assert {name: seen for name, seen in found.items() if seen} == {}
