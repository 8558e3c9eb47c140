"""The consents panel: forms needed by category and age, signing with the user's password,
a guardian for a minor, and what the row shows once signed."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from desktop.rules.patients import RiskCategory, SexAtBirth
from desktop.services.consents import consent_needs
from desktop.services.context import Context
from desktop.services.patients import register_patient
from desktop.ui.consents.consent_sign_dialog import ConsentSignDialog
from desktop.ui.consents.consents_panel import ConsentsPanel
from tests.conftest import PASSWORD, patient_draft
from tests.ui.conftest import Screenshot
from tests.ui.courses import start_test_course
from tests.ui.keyboard import answer_modal, type_text

CLICK = Qt.MouseButton.LeftButton


def _panel(qtbot: QtBot, ctx: Context, patient_id: int) -> ConsentsPanel:
    panel = ConsentsPanel(ctx, patient_id)
    qtbot.addWidget(panel)
    panel.resize(1100, 400)
    panel.show()
    return panel


def _rows(panel: ConsentsPanel) -> list[list[str]]:
    model = panel.model
    return [
        [model.data(model.index(r, c)) for c in range(model.columnCount())]
        for r in range(model.rowCount())
    ]


def _minor(nurse_ctx: Context) -> int:
    draft = patient_draft(
        birth_date=date(2010, 5, 1),
        guardian_name="Ana Núñez",
        guardian_relationship="mother",
    )
    return register_patient(nurse_ctx, draft).id


def test_a_patient_who_can_get_pregnant_needs_three_forms_all_missing(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    course = start_test_course(nurse_ctx)
    panel = _panel(qtbot, nurse_ctx, course.patient_id)
    assert (
        panel.basis_label.text() == "Forms needed today for: patient who can get pregnant, "
        "age 25; signed by the patient and the prescriber."
    )
    assert [row[:3] for row in _rows(panel)] == [
        ["Informed consent (all patients)", "Missing", "(latest 2026.1)"],
        ["Pregnancy prevention and birth defects", "Missing", "(latest 2026.1)"],
        ["Contraception counselling", "Missing", "(latest 2026.2)"],
    ]


def test_a_patient_who_cannot_get_pregnant_needs_only_the_informed_consent(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    draft = patient_draft(
        sex_at_birth=SexAtBirth.MALE, risk_category=RiskCategory.CANNOT_GET_PREGNANT
    )
    panel = _panel(qtbot, nurse_ctx, register_patient(nurse_ctx, draft).id)
    assert [row[0] for row in _rows(panel)] == ["Informed consent (all patients)"]


def test_signing_for_a_minor_requires_the_guardian(qtbot: QtBot, nurse_ctx: Context) -> None:
    patient_id = _minor(nurse_ctx)
    panel = _panel(qtbot, nurse_ctx, patient_id)
    assert panel.basis_label.text() == (
        "Forms needed today for: patient who can get pregnant, age 16; signed by the patient, "
        "the guardian and the prescriber."
    )
    assert panel.view is not None
    dialog = ConsentSignDialog(nurse_ctx, panel.view.patient, panel.view.needs)
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.guardian_name_input.isVisible()
    assert dialog.guardian_name_input.text() == "Ana Núñez"
    dialog.guardian_name_input.clear()
    dialog.guardian_relationship_input.clear()
    type_text(dialog.prescriber_input, "Dr Priya Park")
    qtbot.keyClicks(dialog.password_input, PASSWORD)
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("guardian_name").text() == (
        "The patient was under 18 that day: enter the parent or guardian who signed."
    )
    assert dialog.result_record is None
    assert all(need.signed is None for need in consent_needs(nurse_ctx, patient_id))


def test_no_guardian_rows_for_an_adult_on_the_day_signed(qtbot: QtBot, nurse_ctx: Context) -> None:
    patient_id = _minor(nurse_ctx)
    panel = _panel(qtbot, nurse_ctx, patient_id)
    assert panel.view is not None
    dialog = ConsentSignDialog(nurse_ctx, panel.view.patient, panel.view.needs)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.signed_input.clear()
    qtbot.keyClicks(dialog.signed_input, "2028-05-01")  # an 18th birthday
    assert not dialog.guardian_name_input.isVisible()
    assert not dialog.minor_label.isVisible()


def test_a_wrong_password_is_refused_and_nothing_is_signed(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    course = start_test_course(nurse_ctx)
    panel = _panel(qtbot, nurse_ctx, course.patient_id)
    assert panel.view is not None
    dialog = ConsentSignDialog(
        nurse_ctx, panel.view.patient, panel.view.needs, prescriber_name="Dr Priya Park"
    )
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.password_input, "not my password")
    qtbot.mouseClick(dialog.save_button, CLICK)
    message = "The password is not right; nothing was signed or saved."
    assert dialog.error_label.text() == message
    assert dialog.problems.problem_label("password").text() == message
    assert dialog.password_input.text() == ""
    assert dialog.result_record is None
    assert all(need.signed is None for need in consent_needs(nurse_ctx, course.patient_id))


def test_after_signing_the_form_shows_its_date_version_and_signers(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, screenshot: Screenshot
) -> None:
    course = start_test_course(nurse_ctx)
    panel = _panel(qtbot, nurse_ctx, course.patient_id)
    changed: list[int] = []
    panel.consents_changed.connect(changed.append)

    def fill(dialog: ConsentSignDialog) -> None:
        assert dialog.form_input.currentText() == "Informed consent (all patients)"
        assert dialog.version_input.currentText() == "2026.1"
        assert dialog.prescriber_input.text() == "Dr Priya Park"
        assert not dialog.guardian_name_input.isVisible()
        dialog.signed_input.clear()
        qtbot.keyClicks(dialog.signed_input, "2026-11-18")
        type_text(dialog.witness_input, "Nina Núñez")
        qtbot.keyClicks(dialog.password_input, PASSWORD)
        qtbot.keyClick(dialog.password_input, Qt.Key.Key_Return)

    answer_modal(ConsentSignDialog, fill)
    qtbot.mouseClick(panel.sign_button, CLICK)
    assert changed == [course.patient_id]
    assert _rows(panel)[0] == [
        "Informed consent (all patients)",
        "2026-11-18",
        "2026.1",
        "—",
        "Dr Priya Park",
        "Nina Núñez",
    ]
    assert _rows(panel)[1][1] == "Missing"
    screenshot(panel, "consents-panel")
