"""The patient list: search as you type, sort by a header click, add a patient."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date

from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.services.patients import register_patient
from desktop.ui.patients.patient_dialog import PatientDialog
from desktop.ui.patients.patients_view import PatientsView
from tests.conftest import patient_draft
from tests.ui.conftest import Screenshot
from tests.ui.keyboard import answer_modal, type_text


def _register_three(ctx: Context) -> None:
    register_patient(ctx, patient_draft())
    register_patient(
        ctx,
        patient_draft(
            mrn="MRN-2002", legal_name="Adam Smith", preferred_name="", birth_date=date(1990, 6, 1)
        ),
    )
    register_patient(
        ctx,
        patient_draft(
            mrn="MRN-3003",
            legal_name="Beth Young",
            preferred_name="",
            birth_date=date(2007, 1, 2),
            guardian_name="Carol Young",
            guardian_relationship="mother",
        ),
    )


def _view(qtbot: QtBot, ctx: Context) -> PatientsView:
    view = PatientsView(ctx)
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    with qtbot.waitActive(view):  # keyboard shortcuts reach only the active window
        view.activateWindow()
    return view


def _column(view: PatientsView, column: int) -> list[str]:
    model = view.model
    return [model.data(model.index(row, column)) for row in range(model.rowCount())]


def test_typing_zoe_finds_zoe_without_the_accent(
    qtbot: QtBot, nurse_ctx: Context, screenshot: Screenshot
) -> None:
    _register_three(nurse_ctx)
    view = _view(qtbot, nurse_ctx)
    assert view.model.rowCount() == 3
    screenshot(view, "patient-list")
    with qtbot.waitSignal(view.results_shown):
        qtbot.keyClicks(view.search_input, "zoe")
    assert _column(view, 0) == ["Zoë O'Brien-Núñez (“Zo”)"]
    assert _column(view, 1) == ["MRN-1001"]
    assert _column(view, 2) == ["2001-03-14 (age 25)"]
    assert _column(view, 3) == ["Patient who can get pregnant"]
    assert view.count_label.text() == "1 patient"


def test_search_that_finds_nobody_says_so(qtbot: QtBot, nurse_ctx: Context) -> None:
    _register_three(nurse_ctx)
    view = _view(qtbot, nurse_ctx)
    with qtbot.waitSignal(view.results_shown):
        type_text(view.search_input, "Ñobody")
    assert view.model.rowCount() == 0
    assert view.empty_label.text() == "No patient matches “Ñobody”."
    assert view.empty_label.isVisible()


def test_an_empty_clinic_says_how_to_add_the_first_patient(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    view = _view(qtbot, nurse_ctx)
    assert "No patients yet" in view.empty_label.text()


def test_clicking_the_date_of_birth_header_sorts_by_date_not_text(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    _register_three(nurse_ctx)
    view = _view(qtbot, nurse_ctx)
    assert _column(view, 1) == ["MRN-2002", "MRN-3003", "MRN-1001"]  # by name at first
    header = view.table.horizontalHeader()
    middle = QPoint(header.sectionViewportPosition(2) + header.sectionSize(2) // 2, 5)
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    assert _column(view, 1) == ["MRN-2002", "MRN-1001", "MRN-3003"]
    qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=middle)
    assert _column(view, 1) == ["MRN-3003", "MRN-1001", "MRN-2002"]


def test_new_patient_from_ctrl_n_is_saved_and_selected_in_the_list(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    view = _view(qtbot, nurse_ctx)

    def fill(dialog: PatientDialog) -> None:
        form = dialog.form
        qtbot.keyClicks(form.mrn_input, "MRN-4004")
        type_text(form.legal_name_input, "José Álvarez")
        qtbot.keyClicks(form.birth_date_input, "3/14/1999")
        form.sex_input.setCurrentIndex(form.sex_input.findData("male"))
        qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)

    answered = answer_modal(PatientDialog, fill)
    with qtbot.waitSignal(view.patient_saved):
        qtbot.keyClick(view.search_input, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert answered
    assert _column(view, 0) == ["José Álvarez"]
    assert _column(view, 2) == ["1999-03-14 (age 27)"]
    assert _column(view, 3) == ["Not yet assigned"]
    assert view.table.selectionModel().selectedRows()[0].row() == 0


def test_enter_on_a_row_asks_for_that_patients_chart(qtbot: QtBot, nurse_ctx: Context) -> None:
    _register_three(nurse_ctx)
    view = _view(qtbot, nurse_ctx)
    with qtbot.waitSignal(view.results_shown):
        qtbot.keyClicks(view.search_input, "smith")
    with qtbot.waitSignal(view.chart_requested) as opened:
        qtbot.keyClick(view.search_input, Qt.Key.Key_Return)
    assert opened.args == [view.model.record_at(0).id]
