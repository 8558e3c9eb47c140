"""The patient form: problems beside their fields, guardians for minors, stale edits."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.services.patients import get_patient, register_patient, search_patients
from desktop.services.records import PatientRecord
from desktop.ui.patients.patient_dialog import PatientDialog
from tests.conftest import patient_draft
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import type_text


def _dialog(qtbot: QtBot, ctx: Context, existing: PatientRecord | None = None) -> PatientDialog:
    dialog = PatientDialog(ctx, existing=existing)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _type_patient(qtbot: QtBot, dialog: PatientDialog, birth_date: str) -> None:
    form = dialog.form
    qtbot.keyClicks(form.mrn_input, "MRN-5005")
    type_text(form.legal_name_input, "Zoë Núñez")
    qtbot.keyClicks(form.birth_date_input, birth_date)
    form.sex_input.setCurrentIndex(form.sex_input.findData("female"))


def _save(qtbot: QtBot, dialog: PatientDialog) -> None:
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)


def test_future_birth_date_is_refused_beside_the_field_and_nothing_is_saved(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    dialog = _dialog(qtbot, nurse_ctx)
    _type_patient(qtbot, dialog, "2026-11-21")
    _save(qtbot, dialog)
    message = "The date of birth cannot be in the future."
    assert dialog.form.problems.problem_label("birth_date").text() == message
    assert dialog.error_label.text() == message
    assert dialog.result_record is None
    assert dialog.isVisible()
    assert search_patients(nurse_ctx, "") == ()


def test_a_date_that_cannot_be_read_is_refused_before_saving(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    dialog = _dialog(qtbot, nurse_ctx)
    _type_patient(qtbot, dialog, "14/3/2001")
    _save(qtbot, dialog)
    assert dialog.error_label.text() == "There is no such date: check the day and month."
    assert dialog.focusWidget() is dialog.form.birth_date_input


def test_age_shows_live_and_guardian_rows_appear_for_a_minor(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    dialog = _dialog(qtbot, nurse_ctx)
    form = dialog.form
    assert not form.guardian_name_input.isVisible()
    qtbot.keyClicks(form.birth_date_input, "2001-03-14")
    assert form.age_label.text() == "Age 25"
    assert not form.guardian_name_input.isVisible()
    form.birth_date_input.clear()
    qtbot.keyClicks(form.birth_date_input, "2010-11-21")
    assert form.age_label.text() == "Age 15: a parent or guardian signs the consents"
    assert form.guardian_name_input.isVisible()
    assert form.guardian_relationship_input.isVisible()


def test_minor_without_guardian_is_refused_with_the_guardian_field_focused(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    dialog = _dialog(qtbot, nurse_ctx)
    _type_patient(qtbot, dialog, "2010-11-21")
    _save(qtbot, dialog)
    problems = dialog.form.problems
    assert dialog.error_label.text() == "The patient is 15: enter the parent or guardian's name."
    assert problems.problem_label("guardian_name").isVisible()
    assert problems.problem_label("guardian_relationship").text() == (
        "Enter the guardian's relationship to the patient."
    )
    assert dialog.focusWidget() is dialog.form.guardian_name_input
    assert search_patients(nurse_ctx, "") == ()

    qtbot.keyClicks(dialog.form.guardian_name_input, "Ana Nunez")
    qtbot.keyClicks(dialog.form.guardian_relationship_input, "mother")
    qtbot.keyClick(dialog.form.guardian_relationship_input, Qt.Key.Key_Return)  # Enter saves
    assert dialog.result_record is not None
    assert dialog.result_record.guardian_name == "Ana Nunez"


def test_a_valid_patient_is_saved_with_every_field(
    qtbot: QtBot, nurse_ctx: Context, screenshot: Screenshot
) -> None:
    dialog = _dialog(qtbot, nurse_ctx)
    form = dialog.form
    _type_patient(qtbot, dialog, "2001-03-14")
    qtbot.keyClicks(form.preferred_name_input, "Zo")
    form.risk_category_input.setCurrentIndex(form.risk_category_input.findData("can_get_pregnant"))
    qtbot.keyClicks(form.ipledge_id_input, "1234567890")
    qtbot.keyClicks(form.phone_input, "+1 555 010 2000")
    qtbot.keyClicks(form.email_input, "zo@example.org")
    qtbot.keyClicks(form.allergies_input, "Penicillin (rash)")
    qtbot.mouseClick(form.retinoid_allergy_input, Qt.MouseButton.LeftButton)
    assert "Monthly pregnancy tests" in form.risk_explanation_label.text()
    screenshot(dialog, "patient-dialog")
    _save(qtbot, dialog)
    assert dialog.error_label.text() == ""
    saved = dialog.result_record
    assert saved is not None
    assert (saved.legal_name, saved.preferred_name) == ("Zoë Núñez", "Zo")
    assert saved.has_retinoid_allergy
    assert saved.allergies == "Penicillin (rash)"
    assert not dialog.isVisible()


def test_pregnancy_checkbox_shows_the_hard_stop(qtbot: QtBot, nurse_ctx: Context) -> None:
    dialog = _dialog(qtbot, nurse_ctx)
    form = dialog.form
    assert not form.hard_stop_label.isVisible()
    qtbot.mouseClick(form.pregnant_input, Qt.MouseButton.LeftButton)
    assert form.hard_stop_label.isVisible()
    assert form.hard_stop_label.text().startswith("Hard stop")


def test_edit_saves_on_top_of_the_version_shown(qtbot: QtBot, nurse_ctx: Context) -> None:
    opened = register_patient(nurse_ctx, patient_draft())
    dialog = _dialog(qtbot, nurse_ctx, opened)
    assert dialog.form.legal_name_input.text() == "Zoë O'Brien-Núñez"
    assert dialog.form.birth_date_input.text() == "2001-03-14"
    dialog.form.phone_input.clear()
    qtbot.keyClicks(dialog.form.phone_input, "555 777 1234")
    _save(qtbot, dialog)
    assert get_patient(nurse_ctx, opened.id).phone == "555 777 1234"


def test_stale_edit_names_the_other_user_and_keeps_their_change(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    opened = register_patient(nurse_ctx, patient_draft())
    dialog = _dialog(qtbot, nurse_ctx, opened)
    other = PatientDialog(prescriber_ctx, existing=opened)
    qtbot.addWidget(other)
    other.form.phone_input.clear()
    qtbot.keyClicks(other.form.phone_input, "555 123 4567")
    _save(qtbot, other)
    assert other.result_record is not None

    dialog.form.phone_input.clear()
    qtbot.keyClicks(dialog.form.phone_input, "555 999 0000")
    _save(qtbot, dialog)
    assert "Dr Priya Park" in dialog.error_label.text()
    assert "2026-11-20 10:30 EST" in dialog.error_label.text()  # 15:30 UTC, the clinic's time
    assert dialog.result_record is None
    assert dialog.isVisible()
    assert get_patient(nurse_ctx, opened.id).phone == "555 123 4567"


def test_tab_walks_the_form_top_to_bottom_then_to_save(qtbot: QtBot, nurse_ctx: Context) -> None:
    dialog = _dialog(qtbot, nurse_ctx)
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    form = dialog.form
    expected = [w for w in form.tab_chain() if w.isVisibleTo(dialog)] + [dialog.save_button]
    visited = [QApplication.focusWidget()]
    for _ in expected[1:]:
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        visited.append(QApplication.focusWidget())
    assert visited == expected


def test_escape_cancels_without_saving(qtbot: QtBot, nurse_ctx: Context) -> None:
    dialog = _dialog(qtbot, nurse_ctx)
    _type_patient(qtbot, dialog, "2001-03-14")
    qtbot.keyClick(dialog.form.mrn_input, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert dialog.result_record is None
    assert search_patients(nurse_ctx, "") == ()


def test_an_mrn_taken_in_another_letter_case_is_refused_beside_the_field(
    qtbot: QtBot, nurse_ctx: Context, screenshot: Screenshot
) -> None:
    register_patient(nurse_ctx, patient_draft(mrn="MRN-5005"))
    dialog = _dialog(qtbot, nurse_ctx)
    form = dialog.form
    qtbot.keyClicks(form.mrn_input, "mrn-5005")
    type_text(form.legal_name_input, "Aoife Kelly")
    qtbot.keyClicks(form.birth_date_input, "1998-04-02")
    form.sex_input.setCurrentIndex(form.sex_input.findData("female"))
    _save(qtbot, dialog)
    label = form.problems.problem_label("mrn")
    assert label.text() == "Another patient already has this MRN."
    assert label.isVisible()
    assert dialog.focusWidget() is form.mrn_input
    assert dialog.result_record is None
    assert [row.mrn for row in search_patients(nurse_ctx, "")] == ["MRN-5005"]
    screenshot(dialog, "patient-dialog-mrn-taken")
