"""Correcting a signed consent from the Consents tab (issue 6, item 11): select it, Correct
signature…, type what was wrong, the reason and the password; the list on record keeps the
old signature struck through with the reason, beside the new one. A void alone makes the
form missing again. The chart's History names both actions with old and new values and the
reason."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from pytestqt.qtbot import QtBot

from desktop.rules.consents import ConsentForm
from desktop.services.consents import (
    ConsentDraft,
    ConsentSignatureRecord,
    consent_signatures,
    record_consent_signature,
)
from desktop.services.context import Context
from desktop.services.patients import patient_history
from desktop.ui.chart.history_table_model import HistoryTableModel, describe_changes
from desktop.ui.consents.consent_correction_dialog import VOID, ConsentCorrectionDialog
from desktop.ui.consents.consents_panel import ConsentsPanel
from tests.conftest import PASSWORD
from tests.ui.courses import start_test_course
from tests.ui.keyboard import answer_modal, type_text
from tests.ui.mnemonics import clashes

CLICK = Qt.MouseButton.LeftButton
REASON = "The form is dated 18 Nov, not 19 Nov"


def _signed(nurse_ctx: Context) -> tuple[int, ConsentSignatureRecord]:
    """A patient with a course and her informed consent signed (her id, the signature)."""
    course = start_test_course(nurse_ctx)
    draft = ConsentDraft(
        course.patient_id,
        ConsentForm.INFORMED_CONSENT,
        "2026.1",
        date(2026, 11, 19),
        "Dr Priya Park",
        witness_name="Nina Núñez",
    )
    return course.patient_id, record_consent_signature(nurse_ctx, draft, PASSWORD)


def _panel(qtbot: QtBot, ctx: Context, patient_id: int) -> ConsentsPanel:
    panel = ConsentsPanel(ctx, patient_id)
    qtbot.addWidget(panel)
    panel.resize(1200, 600)
    panel.show()
    return panel


def _dialog(
    qtbot: QtBot, ctx: Context, patient_id: int, signed: ConsentSignatureRecord
) -> ConsentCorrectionDialog:
    """The dialog on `signed`, for the patient as the Consents tab shows them."""
    panel = _panel(qtbot, ctx, patient_id)
    assert panel.view is not None
    dialog = ConsentCorrectionDialog(ctx, panel.view.patient, signed)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def _rows(panel: ConsentsPanel) -> list[list[str]]:
    model = panel.signatures_model
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _click_row(qtbot: QtBot, panel: ConsentsPanel, row: int) -> None:
    table = panel.signatures_table
    cell = table.visualRect(panel.signatures_model.index(row, 0)).center()
    qtbot.mouseClick(table.viewport(), CLICK, pos=cell)


def _struck(panel: ConsentsPanel, row: int, column: int) -> bool:
    model = panel.signatures_model
    font = model.data(model.index(row, column), Qt.ItemDataRole.FontRole)
    return isinstance(font, QFont) and font.strikeOut()


def test_a_corrected_consent_shows_the_old_one_voided_with_its_reason_and_the_new_one(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient_id, _ = _signed(nurse_ctx)
    panel = _panel(qtbot, nurse_ctx, patient_id)
    changed: list[int] = []
    panel.consents_changed.connect(changed.append)
    assert not panel.correct_button.isEnabled()
    _click_row(qtbot, panel, 0)
    assert panel.correct_button.isEnabled()

    def fill(dialog: ConsentCorrectionDialog) -> None:
        assert dialog.signed_label.text() == (
            "Informed consent (all patients), signed 2026-11-19, recorded by Nina Nurse"
        )
        assert dialog.version_input.currentText() == "2026.1"
        assert dialog.witness_input.text() == "Nina Núñez"
        assert dialog.focusWidget() is dialog.signed_input
        dialog.signed_input.selectAll()
        qtbot.keyClicks(dialog.signed_input, "2026-11-18")
        qtbot.keyClicks(dialog.reason_input, REASON)
        qtbot.keyClicks(dialog.password_input, PASSWORD)
        qtbot.keyClick(dialog.password_input, Qt.Key.Key_Return)

    seen = answer_modal(ConsentCorrectionDialog, fill)
    qtbot.mouseClick(panel.correct_button, CLICK)

    assert len(seen) == 1
    assert seen[0].result_record is not None
    assert changed == [patient_id]
    new, old = _rows(panel)
    assert new[:3] == ["Informed consent (all patients)", "2026-11-18", "2026.1"]
    assert new[-1] == "Valid (corrects an earlier entry)"
    assert old[:3] == ["Informed consent (all patients)", "2026-11-19", "2026.1"]
    assert old[5] == "Nina Núñez"  # the old values stay readable
    assert old[-1] == (f"Voided 2026-11-20 10:30 by Nina Nurse: {REASON}; replaced by a correction")
    assert _struck(panel, 1, 1)
    assert not _struck(panel, 1, 7)  # the status says why, in plain text
    assert not _struck(panel, 0, 1)
    assert panel.model.data(panel.model.index(0, 1)) == "2026-11-18"
    _click_row(qtbot, panel, 1)
    assert not panel.correct_button.isEnabled()  # a voided signature is not corrected twice


def test_a_wrong_password_keeps_the_dialog_open_and_saves_nothing(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient_id, signed = _signed(nurse_ctx)
    dialog = _dialog(qtbot, nurse_ctx, patient_id, signed)
    assert clashes(dialog) == {}
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("reason").text().startswith("Give the reason")
    type_text(dialog.reason_input, "Témoin mal orthographié")
    qtbot.keyClicks(dialog.password_input, PASSWORD)
    # Nothing differs yet: the service says so beside the reason before asking who signs.
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("reason").text().startswith("Nothing differs")
    dialog.witness_input.clear()
    type_text(dialog.witness_input, "Nina Nuñez")
    dialog.password_input.clear()
    qtbot.keyClicks(dialog.password_input, "not my password")
    qtbot.mouseClick(dialog.save_button, CLICK)
    message = "The password is not right; nothing was signed or saved."
    assert dialog.problems.problem_label("password").text() == message
    assert dialog.password_input.text() == ""
    assert dialog.result_record is None
    assert dialog.isVisible()
    assert consent_signatures(nurse_ctx, patient_id) == (signed,)


def test_a_void_alone_makes_the_form_missing_again(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient_id, _ = _signed(nurse_ctx)
    panel = _panel(qtbot, nurse_ctx, patient_id)
    panel.table.selectRow(0)  # the form needed, signed
    assert panel.correct_button.isEnabled()

    def void(dialog: ConsentCorrectionDialog) -> None:
        with qtbot.waitActive(dialog):  # Alt+letter reaches only the active window
            dialog.activateWindow()
        qtbot.keyClick(dialog, Qt.Key.Key_E, Qt.KeyboardModifier.AltModifier)
        qtbot.waitUntil(dialog.void_input.isChecked)  # a mnemonic clicks after a moment
        assert dialog.save_button.text() == VOID
        assert not dialog.signed_input.isVisible()
        assert not dialog.witness_input.isVisible()
        qtbot.keyClicks(dialog.reason_input, "Recorded on the wrong patient")
        qtbot.keyClicks(dialog.password_input, PASSWORD)
        qtbot.keyClick(dialog.password_input, Qt.Key.Key_Return)

    answer_modal(ConsentCorrectionDialog, void)
    qtbot.mouseClick(panel.correct_button, CLICK)

    assert panel.model.data(panel.model.index(0, 1)) == "Missing"
    (row,) = _rows(panel)
    assert row[1] == "2026-11-19"
    assert row[-1] == "Voided 2026-11-20 10:30 by Nina Nurse: Recorded on the wrong patient"
    assert _struck(panel, 0, 0)


def test_history_names_the_void_and_the_correction_with_old_new_and_reason(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    patient_id, signed = _signed(nurse_ctx)
    dialog = _dialog(qtbot, nurse_ctx, patient_id, signed)
    dialog.signed_input.selectAll()
    qtbot.keyClicks(dialog.signed_input, "2026-11-18")
    qtbot.keyClicks(dialog.reason_input, REASON)
    qtbot.keyClicks(dialog.password_input, PASSWORD)
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.result_record is not None

    corrected, voided = patient_history(nurse_ctx, patient_id)[:2]
    model = HistoryTableModel(ZoneInfo("America/New_York"))
    model.set_records([corrected, voided])
    assert [model.data(model.index(r, 3)) for r in range(2)] == [
        "Consent signature corrected",
        "Consent signature voided",
    ]
    correction = describe_changes(corrected).splitlines()
    assert "Form: Informed consent (all patients)" in correction
    assert "Signed on: 2026-11-19 → 2026-11-18" in correction
    assert correction[-1] == f"Reason: {REASON}"
    void = describe_changes(voided).splitlines()
    assert "Status: signed → voided" in void
    assert "Signed on: 2026-11-19" in void  # kept as it was
    assert "Voided by: (blank) → Nina Nurse" in void
    assert void[-1] == f"Reason: {REASON}"
