"""An administrator adds a clinic PDF form and a consent template version from the keyboard
and the mouse; a nurse sees both dialogs but cannot change anything."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop.rules.clinic_forms import ClinicFormAudience
from desktop.rules.consents import ConsentForm
from desktop.services.clinic_forms import list_clinic_forms
from desktop.services.consent_template_versions import consent_template_overview
from desktop.services.context import Context
from desktop.ui.settings import clinic_form_add_dialog
from desktop.ui.settings.clinic_form_add_dialog import ClinicFormAddDialog
from desktop.ui.settings.clinic_forms_dialog import ClinicFormsDialog
from desktop.ui.settings.consent_templates_dialog import ConsentTemplatesDialog
from tests.clinic_form_pdfs import form_pdf
from tests.ui.keyboard import answer_modal


def _fill_add_dialog(qtbot: QtBot, path: Path) -> None:
    def answer(dialog: ClinicFormAddDialog) -> None:
        qtbot.keyClicks(dialog.title_input, "iPLEDGE patient agreement")
        qtbot.keyClick(dialog.title_input, Qt.Key.Key_Tab)
        dialog.audience_input.setCurrentIndex(
            dialog.audience_input.findData(ClinicFormAudience.CAN_GET_PREGNANT.value)
        )
        qtbot.mouseClick(dialog.choose_button, Qt.MouseButton.LeftButton)
        qtbot.keyClick(dialog.title_input, Qt.Key.Key_Return)

    answer_modal(ClinicFormAddDialog, answer)


def test_admin_adds_a_pdf_form_and_it_is_listed(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "agreement.pdf"
    path.write_bytes(form_pdf("AGREEMENT"))
    monkeypatch.setattr(clinic_form_add_dialog, "ask_pdf_path", lambda _parent: str(path))
    dialog = ClinicFormsDialog(admin_ctx)
    qtbot.addWidget(dialog)
    _fill_add_dialog(qtbot, path)
    qtbot.mouseClick(dialog.add_button, Qt.MouseButton.LeftButton)
    [form] = list_clinic_forms(admin_ctx)
    assert (form.title, form.audience, form.file_name) == (
        "iPLEDGE patient agreement",
        ClinicFormAudience.CAN_GET_PREGNANT,
        "agreement.pdf",
    )
    model = dialog.model
    assert model.data(model.index(0, 1)) == "iPLEDGE patient agreement"
    assert model.data(model.index(0, 2)) == "Patients who can get pregnant"


def test_a_file_that_is_not_a_pdf_is_refused_beside_its_field(
    qtbot: QtBot, admin_ctx: Context, tmp_path: Path
) -> None:
    path = tmp_path / "notes.pdf"
    path.write_bytes(b"just some text")
    dialog = ClinicFormAddDialog(admin_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.title_input, "Notes")
    dialog.choose_file(str(path))
    qtbot.keyClick(dialog.title_input, Qt.Key.Key_Return)
    assert "cannot be read as a PDF" in dialog.problems.problem_label("pdf").text()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert list_clinic_forms(admin_ctx) == ()


def test_nurse_cannot_change_clinic_forms(qtbot: QtBot, nurse_ctx: Context) -> None:
    dialog = ClinicFormsDialog(nurse_ctx)
    qtbot.addWidget(dialog)
    assert not dialog.add_button.isEnabled()
    assert not dialog.retire_button.isEnabled()
    assert "Only an administrator" in dialog.error_label.text()


def test_admin_adds_a_template_version_by_keyboard(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = ConsentTemplatesDialog(admin_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    assert "Version 2026.1" in dialog.current_label.text()
    assert 'applies_to = "all"' in dialog.wording_input.toPlainText()
    assert dialog.version_input.text() == "2026.2"
    wording = dialog.wording_input.toPlainText().replace(
        "statements = [", 'statements = [\n  "I read the new clinic statement.",', 1
    )
    dialog.wording_input.setPlainText(wording)
    dialog.effective_input.setFocus()
    qtbot.keyClick(dialog.effective_input, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted, dialog.error_label.text()
    [summary] = [
        s for s in consent_template_overview(admin_ctx) if s.form is ConsentForm.INFORMED_CONSENT
    ]
    assert summary.current.version == "2026.2"
    assert "I read the new clinic statement." in summary.current_wording


def test_a_bad_version_label_is_shown_beside_its_field(qtbot: QtBot, admin_ctx: Context) -> None:
    dialog = ConsentTemplatesDialog(admin_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.version_input.clear()
    qtbot.keyClicks(dialog.version_input, "2026.1")
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    assert "after 2026.1" in dialog.problems.problem_label("version").text()
    assert dialog.isVisible()
    assert dialog.result_record is None


def test_nurse_cannot_save_a_template_version(qtbot: QtBot, nurse_ctx: Context) -> None:
    dialog = ConsentTemplatesDialog(nurse_ctx)
    qtbot.addWidget(dialog)
    assert not dialog.save_button.isEnabled()
    assert "Only an administrator" in dialog.error_label.text()
