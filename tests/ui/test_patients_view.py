"""The patient list: search as you type, sort by a header click, add a patient."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date

import pytest
from PySide6.QtCore import QPoint, Qt
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.services.demo_data import create_demo_patients
from desktop.services.patients import PatientSort, register_patient, search_patients
from desktop.ui.patients.patient_dialog import PatientDialog
from desktop.ui.patients.patients_table_model import SORT_BY_COLUMN
from desktop.ui.patients.patients_view import PatientsView
from tests.conftest import patient_draft
from tests.services.test_patients import (
    SORTED_NAMES,
    SORTED_NAMES_DESCENDING,
    STAGES,
    register_patients_at_every_stage,
)
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


def _click_header(qtbot: QtBot, view: PatientsView, column: int) -> None:
    header = view.table.horizontalHeader()
    middle = QPoint(header.sectionViewportPosition(column) + header.sectionSize(column) // 2, 5)
    with qtbot.waitSignal(view.results_shown):
        qtbot.mouseClick(header.viewport(), Qt.MouseButton.LeftButton, pos=middle)


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


def test_risk_category_and_status_read_as_the_nurse_expects(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    register_patients_at_every_stage(nurse_ctx)
    view = _view(qtbot, nurse_ctx)
    rows = list(zip(_column(view, 0), _column(view, 3), _column(view, 4), strict=True))
    assert rows == [
        ("Adam Smith", "Patient who cannot get pregnant", "Active course"),
        ("Beth Young", "Not yet assigned", "Registered"),
        ("Carl Ito", "Patient who can get pregnant", "Course paused"),
        ("Dana Ruiz", "Patient who can get pregnant", "Post-course follow-up"),
        ("Émile Roy", "Patient who cannot get pregnant", "Course ended"),
    ]


@pytest.mark.parametrize("column", range(len(SORT_BY_COLUMN)))
def test_clicking_a_header_sorts_by_it_and_again_reverses(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, column: int
) -> None:
    register_patients_at_every_stage(nurse_ctx)
    view = _view(qtbot, nurse_ctx)
    sort = SORT_BY_COLUMN[column]
    if sort is PatientSort.NAME:  # already sorted by name: the first click reverses
        _click_header(qtbot, view, column)
        assert _column(view, 0) == SORTED_NAMES_DESCENDING[sort]
        _click_header(qtbot, view, column)
        assert _column(view, 0) == SORTED_NAMES[sort]
        return
    _click_header(qtbot, view, column)
    assert _column(view, 0) == SORTED_NAMES[sort]
    _click_header(qtbot, view, column)
    assert _column(view, 0) == SORTED_NAMES_DESCENDING[sort]


def test_the_selected_patient_stays_selected_when_the_sort_changes(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context
) -> None:
    register_patients_at_every_stage(nurse_ctx)
    view = _view(qtbot, nurse_ctx)
    view.table.selectRow(_column(view, 0).index("Carl Ito"))
    _click_header(qtbot, view, SORT_BY_COLUMN.index(PatientSort.BIRTH_DATE))
    [selected] = view.table.selectionModel().selectedRows()
    assert _column(view, 0)[selected.row()] == "Carl Ito"


@pytest.mark.parametrize("typed", ["b-1", "B-1", "b-"])
def test_typing_an_mrn_in_any_case_finds_the_patient(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, typed: str
) -> None:
    register_patients_at_every_stage(nurse_ctx)
    view = _view(qtbot, nurse_ctx)
    with qtbot.waitSignal(view.results_shown):
        qtbot.keyClicks(view.search_input, typed)
    assert (_column(view, 0), _column(view, 1)) == (["Dana Ruiz"], ["B-1"])
    assert view.count_label.text() == "1 patient"


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("1999-09-09", ["Dana Ruiz"]),
        ("9/9/1999", ["Dana Ruiz"]),
        ("12/12/1979", ["Émile Roy"]),
        ("1990-06", ["Adam Smith"]),
        ("1985", ["Carl Ito"]),
        ("19", ["Adam Smith", "Carl Ito", "Dana Ruiz", "Émile Roy"]),
    ],
)
def test_typing_a_date_of_birth_finds_the_patients_born_then(
    qtbot: QtBot, nurse_ctx: Context, prescriber_ctx: Context, typed: str, expected: list[str]
) -> None:
    register_patients_at_every_stage(nurse_ctx)
    view = _view(qtbot, nurse_ctx)
    with qtbot.waitSignal(view.results_shown):
        qtbot.keyClicks(view.search_input, typed)
    assert _column(view, 0) == expected
    born = {name: stage[1].isoformat() for name, stage in STAGES.items()}
    assert [text.split(" ")[0] for text in _column(view, 2)] == [born[n] for n in expected]


def test_more_patients_than_the_list_holds_are_announced_and_sorted_in_full(
    qtbot: QtBot, admin_ctx: Context, screenshot: Screenshot
) -> None:
    create_demo_patients(admin_ctx, 530, seed=4)
    everyone = search_patients(admin_ctx, limit=10_000)
    view = _view(qtbot, admin_ctx)
    assert view.model.rowCount() == 500
    assert view.count_label.text() == (
        "Showing the first 500 of 530 patients: refine the search to find the others."
    )
    assert view.count_label.objectName() == "warningFlag"
    screenshot(view, "patient-list-cut")
    date_of_birth = SORT_BY_COLUMN.index(PatientSort.BIRTH_DATE)
    _click_header(qtbot, view, date_of_birth)
    oldest = min(row.birth_date for row in everyone)
    assert view.model.record_at(0).birth_date == oldest
    _click_header(qtbot, view, date_of_birth)
    youngest = max(row.birth_date for row in everyone)
    assert view.model.record_at(0).birth_date == youngest
    assert view.model.rowCount() == 500
    mrn = SORT_BY_COLUMN.index(PatientSort.MRN)
    _click_header(qtbot, view, mrn)
    _click_header(qtbot, view, mrn)
    assert _column(view, 1)[0] == "DEMO-4-00530"  # the last of all 530, not of the first 500
    with qtbot.waitSignal(view.results_shown):
        qtbot.keyClicks(view.search_input, "DEMO-4-0052")
    assert view.count_label.text() == "10 patients"
    assert view.count_label.objectName() == "hint"
