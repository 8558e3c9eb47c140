"""Bad input for the numbers typed in the dialogs (issue 6 item 14), through the real
widgets and Save: days' supply and capsules (fill), lab values (each analyte's value and the
lab's lowest and highest normal; triglycerides in mg/dL and mmol/L), and the nastiest
weights, mg/kg/day and targets in every dialog that takes them. Each row ends in the exact
value read back through the services, or in a message beside the field with not one row
written anywhere (audit entries included). The full tables of weights, doses and targets are
the pure ones in tests/rules/test_bad_input_numbers.py; here they go through the dialogs.
"""

# pytest-qt builds QtBot's methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from collections.abc import Iterator
from decimal import Decimal

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from desktop.rules.lab_analytes import CATALOGUE, Analyte, LabUnit
from desktop.rules.labs import LabPanel
from desktop.rules.problems import Problem
from desktop.rules.units import WeightUnit
from desktop.services.clinic_setup import get_clinic_settings
from desktop.services.labs import LabEntryDraft, list_labs
from desktop.ui.ipledge.fill_dialog import FillDialog, FillEntry
from desktop.ui.labs.lab_entry_dialog import LabEntryDialog
from desktop.ui.widgets.weight_input import WeightInput
from tests.ui.form_drivers import (
    CLINIC_FORM,
    CONSENT,
    CONSENT_TEMPLATE,
    DOSE_CHANGE,
    FILL,
    LAB,
    MEDICATION,
    PATIENT,
    PAUSE_COURSE,
    PREGNANCY_TEST,
    RESUME_COURSE,
    SETTINGS,
    SETUP,
    STAFF,
    START_COURSE,
    STOP_MEDICATION,
    VISIT,
    WEIGHT,
    Form,
    Ward,
    choose,
    click_save,
    error_shown,
    free_dose_day,
    last_requested_dose,
    open_ward,
    problem_shown,
    row_counts,
    text_no_database_holds,
    widget,
)

pytestmark = pytest.mark.sqlite_only
D = Decimal
NBSP = "\u00a0"


class Refused(str):
    """Words of the problem shown beside the field."""


@pytest.fixture(scope="module")
def ward(template_database: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Ward]:
    opened = open_ward(template_database, tmp_path_factory.mktemp("fields"))
    yield opened
    opened.clinic.close()


def _save(qtbot: QtBot, ward: Ward, form: Form, prepare: object = None, **typed: str) -> QDialog:
    """Open `form`, type valid values except `typed`, press Save; the refused-or-saved
    verdict is the caller's. A refusal must leave every table as it was."""
    dialog = form.open(ward)
    qtbot.addWidget(dialog)
    dialog.show()
    form.fill(ward, dialog, **typed)
    if callable(prepare):
        prepare(dialog)
    before = row_counts(ward.clinic)
    click_save(dialog)
    if dialog.isVisible():
        assert row_counts(ward.clinic) == before
    return dialog


def _refused_beside(dialog: QDialog, field_name: str, words: str) -> None:
    assert dialog.isVisible(), "saved, but a refusal was expected"
    assert words in problem_shown(dialog, field_name), error_shown(dialog)


# --- days' supply and capsules (domain.md §1.6: at most 30 days, no refills) ---------------

WHOLE = "Type a whole number."
TOO_LARGE = "too large"

DAYS_SUPPLY = [
    pytest.param("30", 30, id="thirty"),
    pytest.param("1", 1, id="one"),
    pytest.param("030", 30, id="leading-zero"),
    pytest.param("0" * 5000 + "30", 30, id="five-thousand-leading-zeros"),
    pytest.param(" 30 ", 30, id="spaces-around"),
    pytest.param("\t30\n", 30, id="pasted-tab-newline"),
    pytest.param(f"{NBSP}30{NBSP}", 30, id="pasted-nbsp"),
    pytest.param("0", Refused("1 to 30"), id="zero"),
    pytest.param("31", Refused("1 to 30"), id="thirty-one"),
    pytest.param("700", Refused("1 to 30"), id="700"),
    pytest.param("999999", Refused("1 to 30"), id="six-digits"),
    pytest.param("1234567", Refused(TOO_LARGE), id="seven-digits"),
    pytest.param("9" * 5000, Refused(TOO_LARGE), id="five-thousand-digits"),
    pytest.param("-5", Refused(WHOLE), id="negative"),
    pytest.param("+30", Refused(WHOLE), id="leading-plus"),
    pytest.param("30.0", Refused(WHOLE), id="point-zero-not-rounded"),
    pytest.param("29.5", Refused(WHOLE), id="half-not-rounded"),
    pytest.param("29,5", Refused(WHOLE), id="decimal-comma"),
    pytest.param("1,000", Refused(WHOLE), id="thousands-comma"),
    pytest.param("1.000", Refused(WHOLE), id="thousands-point"),
    pytest.param("３０", Refused(WHOLE), id="full-width-digits"),
    pytest.param("٣٠", Refused(WHOLE), id="arabic-indic-digits"),
    pytest.param("²", Refused(WHOLE), id="superscript-two"),
    pytest.param("³⁰", Refused(WHOLE), id="superscript-thirty"),
    pytest.param("3e1", Refused(WHOLE), id="exponent"),
    pytest.param("NaN", Refused(WHOLE), id="nan"),
    pytest.param("inf", Refused(WHOLE), id="inf"),
    pytest.param("30 days", Refused(WHOLE), id="unit-typed"),
    pytest.param("3 0", Refused(WHOLE), id="space-inside"),
    pytest.param("0x1E", Refused(WHOLE), id="hex"),
    pytest.param("thirty", Refused(WHOLE), id="words"),
    pytest.param("", Refused("Enter the days' supply"), id="empty"),
    pytest.param("   ", Refused("Enter the days' supply"), id="only-spaces"),
]

CAPSULES = [
    pytest.param("", None, id="empty-is-not-recorded"),
    pytest.param("   ", None, id="only-spaces-is-not-recorded"),
    pytest.param("60", 60, id="sixty"),
    pytest.param("1", 1, id="one"),
    pytest.param("060", 60, id="leading-zero"),
    pytest.param(" 60 ", 60, id="spaces-around"),
    pytest.param("\t60\r\n", 60, id="pasted-tab-crlf"),
    pytest.param(f"{NBSP}60", 60, id="pasted-nbsp"),
    pytest.param("700", 700, id="700-exact"),
    pytest.param("999999", 999999, id="six-digits-exact"),
    pytest.param("0", Refused("number of capsules"), id="zero"),
    pytest.param("000", Refused("number of capsules"), id="zeros"),
    pytest.param("1000000", Refused(TOO_LARGE), id="seven-digits"),
    pytest.param("9" * 20, Refused(TOO_LARGE), id="beyond-any-integer-column"),
    pytest.param("-1", Refused(WHOLE), id="negative"),
    pytest.param("+60", Refused(WHOLE), id="leading-plus"),
    pytest.param("60.0", Refused(WHOLE), id="point-zero"),
    pytest.param("59.5", Refused(WHOLE), id="half"),
    pytest.param("59,5", Refused(WHOLE), id="decimal-comma"),
    pytest.param("1,000", Refused(WHOLE), id="thousands-comma"),
    pytest.param("1.000", Refused(WHOLE), id="thousands-point"),
    pytest.param("６０", Refused(WHOLE), id="full-width-digits"),
    pytest.param("²", Refused(WHOLE), id="superscript"),
    pytest.param("6e1", Refused(WHOLE), id="exponent"),
    pytest.param("NaN", Refused(WHOLE), id="nan"),
    pytest.param("-inf", Refused(WHOLE), id="minus-inf"),
    pytest.param("60 caps", Refused(WHOLE), id="unit-typed"),
    pytest.param("2 x 30", Refused(WHOLE), id="arithmetic"),
    pytest.param("6\n0", Refused(WHOLE), id="newline-inside"),
    pytest.param("sixty", Refused(WHOLE), id="words"),
    pytest.param("\x00", Refused(WHOLE), id="nul"),
]


def _fill_saved(dialog: QDialog) -> FillEntry:
    assert isinstance(dialog, FillDialog)
    assert not dialog.isVisible(), error_shown(dialog)
    saved = dialog.result_record
    assert saved is not None
    return saved


@pytest.mark.parametrize(("text", "expected"), DAYS_SUPPLY)
def test_days_supply(qtbot: QtBot, ward: Ward, text: str, expected: int | Refused) -> None:
    dialog = _save(qtbot, ward, FILL, days_supply_input=text)
    if isinstance(expected, Refused):
        _refused_beside(dialog, "days_supply", expected)
    else:
        assert _fill_saved(dialog).fill.days_supply == expected
        FILL.check_saved(ward, dialog)  # the fill and its capsules read back from the database


@pytest.mark.parametrize(("text", "expected"), CAPSULES)
def test_capsules(qtbot: QtBot, ward: Ward, text: str, expected: int | Refused | None) -> None:
    dialog = _save(qtbot, ward, FILL, capsules_input=text)
    if isinstance(expected, Refused):
        _refused_beside(dialog, "capsules", expected)
    else:
        assert _fill_saved(dialog).capsules == expected
        FILL.check_saved(ward, dialog)


# --- lab values (domain.md §3.4): one table, every box of every analyte --------------------

NUMBER = "Type a number"

LAB_VALUES = [
    pytest.param("182", D(182), id="whole"),
    pytest.param("2.05", D("2.05"), id="decimals"),
    pytest.param("182.000", D("182.000"), id="point-three-zeros-is-decimal"),
    pytest.param("0.5", D("0.5"), id="below-one"),
    pytest.param(".5", D("0.5"), id="leading-point"),
    pytest.param("5.", D(5), id="trailing-point"),
    pytest.param("+182", D(182), id="leading-plus-read-exactly"),
    pytest.param("0182", D(182), id="leading-zero"),
    pytest.param(" 182 ", D(182), id="spaces-around"),
    pytest.param("\t182\n", D(182), id="pasted-tab-newline"),
    pytest.param(f"{NBSP}182{NBSP}", D(182), id="pasted-nbsp"),
    pytest.param("700", D(700), id="700-exact"),
    pytest.param("9" * 60, D("9" * 60), id="sixty-digits-exact"),
    pytest.param("0.0000000000000000000000000000001", D("1E-31"), id="long-tail-exact"),
    pytest.param("-5", Refused("cannot be negative"), id="negative"),
    pytest.param("2,05", Refused(NUMBER), id="decimal-comma-refused"),
    pytest.param("1,000", Refused(NUMBER), id="thousands-comma"),
    pytest.param("1 000", Refused(NUMBER), id="thousands-space"),
    pytest.param("1_000", Refused(NUMBER), id="underscore"),
    pytest.param("１８２", Refused(NUMBER), id="full-width-digits"),
    pytest.param("٣٠", Refused(NUMBER), id="arabic-indic-digits"),
    pytest.param("1e2", Refused(NUMBER), id="exponent"),
    pytest.param("1e999999", Refused(NUMBER), id="huge-exponent"),
    pytest.param("NaN", Refused(NUMBER), id="nan"),
    pytest.param("sNaN", Refused(NUMBER), id="signalling-nan"),
    pytest.param("Infinity", Refused(NUMBER), id="infinity"),
    pytest.param("182 mg/dL", Refused(NUMBER), id="unit-typed"),
    pytest.param("<5", Refused(NUMBER), id="below-detection"),
    pytest.param("1.2.3", Refused(NUMBER), id="two-points"),
    pytest.param("0x10", Refused(NUMBER), id="hex"),
    pytest.param("−5", Refused(NUMBER), id="unicode-minus"),
    pytest.param("\x00", Refused(NUMBER), id="nul"),
]
LIMIT_OF_BOX = {"value_edit": "value", "lower_edit": "lower_limit", "upper_edit": "upper_limit"}
OTHER_LIMIT = {"lower_edit": "upper_edit", "upper_edit": "lower_edit"}
LAB_ROWS = [*LAB_VALUES, pytest.param("0", D(0), id="zero")]
FIRST_LAB_BOXES = {
    ("triglycerides", "value_edit", LabUnit.MG_DL),
    ("triglycerides", "value_edit", LabUnit.MMOL_L),
    ("alt", "value_edit", LabUnit.U_L),
    ("alt", "upper_edit", LabUnit.U_L),
    ("ast", "value_edit", LabUnit.U_L),
    ("ast", "upper_edit", LabUnit.U_L),
}
"""The six boxes the dialog had before the analyte catalogue: one test per row each."""
ALL_LAB_BOXES = [
    *(
        (spec.panel, spec.analyte, box, spec.usual_unit)
        for spec in CATALOGUE
        for box in LIMIT_OF_BOX
    ),
    (LabPanel.LIPIDS, Analyte.TRIGLYCERIDES, "value_edit", LabUnit.MMOL_L),
]
"""Every box of every analyte row (each in its usual unit; triglycerides in mmol/L too)."""


def _box_param(panel: LabPanel, analyte: Analyte, box: str, unit: LabUnit) -> object:
    return pytest.param(panel, analyte, box, unit, id=f"{analyte}-{box}-{unit.name.lower()}")


def _lab_expected(box: str, expected: Decimal | Refused) -> Decimal | Refused:
    """Zero is a value and a lowest normal, but not a highest normal (nothing can be judged
    by it)."""
    if box == "upper_edit" and isinstance(expected, Decimal) and expected == 0:
        return Refused("more than 0")
    return expected


def _lab_row(
    qtbot: QtBot,
    ward: Ward,
    box_of: tuple[LabPanel, Analyte, str, LabUnit],
    text: str,
    expected: Decimal | Refused,
) -> None:
    """Type `text` in one box, valid values elsewhere, Save. A limit is typed with the other
    limit blank, so that no range is upside down."""
    panel, analyte, box, unit = box_of

    def choose_panel(dialog: QDialog) -> None:
        assert isinstance(dialog, LabEntryDialog)
        choose(dialog.panel_input, panel.value)
        dialog.analyte_inputs[analyte].set_unit(unit)

    typed = {f"{analyte}_input__{box}": text}
    if box in OTHER_LIMIT:
        typed[f"{analyte}_input__{OTHER_LIMIT[box]}"] = ""
    dialog = _save(qtbot, ward, LAB, choose_panel, **typed)
    expected = _lab_expected(box, expected)
    if isinstance(expected, Refused):
        _refused_beside(dialog, analyte.value, expected)
        return
    assert isinstance(dialog, LabEntryDialog)
    assert not dialog.isVisible(), error_shown(dialog)
    record = dialog.result_record
    assert record is not None
    stored = next(r for r in list_labs(ward.nurse, ward.course.id) if r.id == record.id)
    result = stored.results.get(analyte)
    assert result is not None
    assert result.unit is unit
    value = getattr(result, LIMIT_OF_BOX[box])
    assert value == expected
    assert str(value) == str(D(text.strip()))  # the digits as typed, not a rounded float
    LAB.check_saved(ward, dialog)


@pytest.mark.parametrize(("text", "expected"), LAB_ROWS)
@pytest.mark.parametrize(
    ("panel", "analyte", "box", "unit"),
    [_box_param(*b) for b in ALL_LAB_BOXES if (b[1].value, b[2], b[3]) in FIRST_LAB_BOXES],
)
def test_lab_values(
    qtbot: QtBot,
    ward: Ward,
    panel: LabPanel,
    analyte: Analyte,
    box: str,
    unit: LabUnit,
    text: str,
    expected: Decimal | Refused,
) -> None:
    _lab_row(qtbot, ward, (panel, analyte, box, unit), text, expected)


@pytest.mark.parametrize(
    ("panel", "analyte", "box", "unit"),
    [_box_param(*b) for b in ALL_LAB_BOXES if (b[1].value, b[2], b[3]) not in FIRST_LAB_BOXES],
)
def test_every_row_of_the_lab_table_in_every_other_box(
    qtbot: QtBot, ward: Ward, panel: LabPanel, analyte: Analyte, box: str, unit: LabUnit
) -> None:
    """The same rows through the catalogue's other 28 boxes, one test per box (a test per row
    and box would be 1,100 dialogs); each row that fails is named."""
    failed = []
    for row in LAB_ROWS:
        text, expected = row.values
        assert isinstance(text, str)
        assert isinstance(expected, Decimal | Refused)
        try:
            _lab_row(qtbot, ward, (panel, analyte, box, unit), text, expected)
        except AssertionError as error:
            failed.append(f"{row.id}: {error}")
    assert not failed, "\n".join(failed)


# --- weights, mg/kg/day and targets in every dialog that takes them -------------------------

WEIGHT_BOXES = [
    pytest.param(WEIGHT, "weight_input.number_edit", id="weight-dialog"),
    pytest.param(VISIT, "weight_input.number_edit", id="visit"),
    pytest.param(START_COURSE, "weight_input.number_edit", id="start-course"),
]
NASTY_WEIGHTS = [
    pytest.param("72,5", (D("72.5"), WeightUnit.KG), id="decimal-comma"),
    pytest.param(" 72 KG ", (D(72), WeightUnit.KG), id="unit-upper-case-padded"),
    pytest.param("160lbs", (D(160), WeightUnit.LB), id="lbs-typed"),
    pytest.param("160" + " " * 20 + "lb", (D(160), WeightUnit.LB), id="unit-after-20-spaces"),
    pytest.param("72.125", (D("72.125"), WeightUnit.KG), id="three-decimals"),
    pytest.param("72.1255", Refused("at most 3 decimals"), id="four-decimals"),
    pytest.param("1,000", Refused("ambiguous"), id="thousands-comma"),
    pytest.param("0", Refused("more than zero"), id="zero"),
    pytest.param("700", Refused("between"), id="700"),
    pytest.param("７２", Refused("must be a number"), id="full-width"),
    pytest.param("9" * 40 + " lb", Refused("between"), id="forty-digits-lb"),
]


@pytest.mark.parametrize(("text", "expected"), NASTY_WEIGHTS)
@pytest.mark.parametrize(("form", "path"), WEIGHT_BOXES)
def test_weights_in_every_dialog(
    qtbot: QtBot,
    ward: Ward,
    form: Form,
    path: str,
    text: str,
    expected: tuple[Decimal, WeightUnit] | Refused,
) -> None:
    dialog = _save(qtbot, ward, form, **{path.replace(".", "__"): text})
    if isinstance(expected, Refused):
        _refused_beside(dialog, form.inputs[path][1], expected)
        return
    assert not dialog.isVisible(), error_shown(dialog)
    form.after_save(ward, dialog)
    typed = widget(dialog, path.rsplit(".", 1)[0])
    assert (typed.value(), typed.unit()) == expected
    form.check_saved(ward, dialog)  # number and unit stored exactly as typed


DOSE_BOXES = [
    pytest.param(DOSE_CHANGE, "mg_per_kg_day_input", id="dose-change"),
    pytest.param(START_COURSE, "mg_per_kg_day_input", id="start-course"),
    pytest.param(VISIT, "dose_decision_panel.mg_per_kg_day_input", id="visit"),
]
NASTY_DOSES = [
    pytest.param("0,5", D("0.5"), id="decimal-comma"),
    pytest.param(" 1 mg/kg/day ", D(1), id="unit-padded"),
    pytest.param("0.55555", D("0.55555"), id="many-decimals-exact"),
    pytest.param("1.000", D("1.000"), id="point-always-decimal"),
    pytest.param("1,000", Refused("ambiguous"), id="thousands-comma"),
    pytest.param("0", Refused("more than zero"), id="zero"),
    pytest.param("-1", Refused("more than zero"), id="negative"),
    pytest.param("700", Refused("far above"), id="700"),
    pytest.param("1e0", Refused("must be a number"), id="exponent"),
    pytest.param("０.５", Refused("must be a number"), id="full-width"),
]


def _choose_change(dialog: QDialog) -> None:
    panel = getattr(dialog, "dose_decision_panel", None)
    if panel is not None:
        panel.change_input.setChecked(True)
        panel.reason_input.setText("tolerating well")


@pytest.mark.parametrize(("text", "expected"), NASTY_DOSES)
@pytest.mark.parametrize(("form", "path"), DOSE_BOXES)
def test_mg_per_kg_day_in_every_dialog(
    qtbot: QtBot, ward: Ward, form: Form, path: str, text: str, expected: Decimal | Refused
) -> None:
    typed = {path.replace(".", "__"): text}
    if form is VISIT:  # a visit's dose change starts on the visit date: one free of changes
        typed["seen_on_input"] = free_dose_day(ward)
    dialog = _save(qtbot, ward, form, _choose_change, **typed)
    field_name = form.inputs[path][1]
    if isinstance(expected, Refused):
        _refused_beside(dialog, field_name, expected)
        return
    assert not dialog.isVisible(), error_shown(dialog)
    form.after_save(ward, dialog)  # the course's new version, before anything can fail
    record = getattr(dialog, "result_record", None)
    patient_id = getattr(record, "patient_id", ward.patient.id)
    requested = last_requested_dose(ward, patient_id)
    assert (requested, str(requested)) == (expected, str(expected))


NASTY_TARGETS = [
    pytest.param("180", D(180), id="whole"),
    pytest.param("180,5", D("180.5"), id="decimal-comma"),
    pytest.param(" 180 mg/kg ", D(180), id="unit-padded"),
    pytest.param("180.25", Refused("one decimal at most"), id="two-decimals-not-rounded"),
    pytest.param("1,000", Refused("ambiguous"), id="thousands-comma"),
    pytest.param("0", Refused("more than zero"), id="zero"),
    pytest.param("700", Refused("above 300"), id="700"),
    pytest.param("1e2", Refused("must be a number"), id="exponent"),
    pytest.param("１８０", Refused("must be a number"), id="full-width"),
]


@pytest.mark.parametrize(("text", "expected"), NASTY_TARGETS)
def test_custom_target(qtbot: QtBot, ward: Ward, text: str, expected: Decimal | Refused) -> None:
    dialog = _save(qtbot, ward, START_COURSE, custom_target_input=text)
    if isinstance(expected, Refused):
        _refused_beside(dialog, "target_mg_per_kg", expected)
        return
    assert not dialog.isVisible(), error_shown(dialog)
    START_COURSE.check_saved(ward, dialog)  # the stored target equals the one typed
    record = getattr(dialog, "result_record", None)
    assert record is not None
    assert (record.target_mg_per_kg, str(record.target_mg_per_kg)) == (expected, str(expected))


# --- idle-lock minutes (issue 6 item 10: default 10; the service takes 1 to 120) -----------

MINUTES = "Type whole minutes"
RANGE = "1 to 120 minutes"

IDLE_MINUTES = [
    pytest.param("10", 10, id="ten"),
    pytest.param("1", 1, id="lowest"),
    pytest.param("120", 120, id="highest"),
    pytest.param("010", 10, id="leading-zero"),
    pytest.param(" 10 ", 10, id="spaces-around"),
    pytest.param("\t10\n", 10, id="pasted-tab-newline"),
    pytest.param(f"{NBSP}10", 10, id="pasted-nbsp"),
    pytest.param("0", Refused(RANGE), id="zero"),
    pytest.param("121", Refused(RANGE), id="above-highest"),
    pytest.param("700", Refused(RANGE), id="700"),
    pytest.param("9999", Refused(RANGE), id="four-nines"),
    pytest.param("-5", Refused(MINUTES), id="negative"),
    pytest.param("+10", Refused(MINUTES), id="leading-plus"),
    pytest.param("10.5", Refused(MINUTES), id="fraction-not-rounded"),
    pytest.param("10,5", Refused(MINUTES), id="decimal-comma"),
    pytest.param("1,000", Refused(MINUTES), id="thousands-comma"),
    pytest.param("1.000", Refused(MINUTES), id="thousands-point"),
    pytest.param("１０", Refused(MINUTES), id="full-width-digits"),
    pytest.param("٣٠", Refused(MINUTES), id="arabic-indic-digits"),
    pytest.param("²", Refused(MINUTES), id="superscript"),
    pytest.param("1e1", Refused(MINUTES), id="exponent"),
    pytest.param("NaN", Refused(MINUTES), id="nan"),
    pytest.param("inf", Refused(MINUTES), id="inf"),
    pytest.param("", Refused(MINUTES), id="empty"),
    pytest.param("   ", Refused(MINUTES), id="only-spaces"),
    pytest.param("10 min", Refused(MINUTES), id="unit-typed"),
    pytest.param("ten", Refused(MINUTES), id="words"),
    pytest.param("0x0A", Refused(MINUTES), id="hex"),
    pytest.param("10\x00", Refused(MINUTES), id="nul"),
    pytest.param("9" * 5000, Refused(MINUTES), id="five-thousand-digits"),
    pytest.param("   30", 30, id="pasted-after-3-spaces"),
    pytest.param("  120", 120, id="pasted-after-2-spaces"),
]


@pytest.mark.parametrize(("text", "expected"), IDLE_MINUTES)
def test_idle_lock_minutes(qtbot: QtBot, ward: Ward, text: str, expected: int | Refused) -> None:
    dialog = _save(qtbot, ward, SETTINGS, idle_minutes_input=text)
    if isinstance(expected, Refused):
        _refused_beside(dialog, "idle_lock_minutes", expected)
        return
    assert not dialog.isVisible(), error_shown(dialog)
    assert get_clinic_settings(ward.admin).idle_lock_minutes == expected


# --- text a PostgreSQL clinic database could not hold -------------------------------------

NUL_WORDS = "control character (NUL)"
TEXT_NO_DATABASE_HOLDS = [
    pytest.param(PATIENT, {"form__legal_name_input": "Zo\x00ë"}, "legal_name", NUL_WORDS,
                 id="patient-name-with-nul"),
    pytest.param(PATIENT, {"form__allergies_input": "pollen\x00"}, "allergies", NUL_WORDS,
                 id="patient-allergies-with-nul"),
    pytest.param(PATIENT, {"form__email_input": "a" * 300 + "@example.org"}, "email",
                 "at most 200", id="patient-email-312-characters"),
    pytest.param(PATIENT, {"form__birth_date_input": "2012-03-14", "form__guardian_name_input":
                 "Ann", "form__guardian_relationship_input": "m" * 61}, "guardian_relationship",
                 "at most 60", id="guardian-relationship-61-characters"),
    pytest.param(CONSENT, {"witness_input": "w" * 201}, "witness_name", "at most 200",
                 id="consent-witness-201-characters"),
    pytest.param(CONSENT, {"prescriber_input": "p" * 121}, "prescriber_name", "at most 120",
                 id="consent-prescriber-121-characters"),
    pytest.param(PREGNANCY_TEST, {"verified_by_input": "v" * 121}, "verified_by", "at most 120",
                 id="pregnancy-test-verifier-121-characters"),
    pytest.param(STAFF, {"display_name_input": "n" * 121}, "display_name", "at most 120",
                 id="staff-name-121-characters"),
    pytest.param(SETUP, {"clinic_name_input": "c" * 201}, "clinic_name", "at most 200",
                 id="clinic-name-201-characters"),
    pytest.param(VISIT, {"notes_input": "fine\x00"}, "notes", NUL_WORDS, id="visit-notes-nul"),
    pytest.param(DOSE_CHANGE, {"reason_input": "up\x00"}, "reason", NUL_WORDS,
                 id="dose-change-reason-nul"),
    pytest.param(MEDICATION, {"name_input": "Doxy\x00"}, "name", NUL_WORDS,
                 id="medication-name-nul"),
    pytest.param(MEDICATION, {"name_input": "n" * 201}, "name", "at most 200",
                 id="medication-name-201-characters"),
    pytest.param(STOP_MEDICATION, {"reason_input": "rash\x00"}, "stop_reason", NUL_WORDS,
                 id="stop-medication-reason-nul"),
    pytest.param(PAUSE_COURSE, {"reason_input": "flare\x00"}, "reason", NUL_WORDS,
                 id="pause-reason-nul"),
    pytest.param(RESUME_COURSE, {"reason_input": "better\x00"}, "reason", NUL_WORDS,
                 id="resume-reason-nul"),
    pytest.param(CONSENT_TEMPLATE, {"wording_input": 'title = "x\x00"'}, "wording",
                 "Illegal character", id="consent-template-wording-nul"),
    pytest.param(CLINIC_FORM, {"title_input": "Agreement\x00"}, "title", NUL_WORDS,
                 id="clinic-form-title-nul"),
]  # fmt: skip


@pytest.mark.parametrize(("form", "typed", "field_name", "words"), TEXT_NO_DATABASE_HOLDS)
def test_text_the_database_cannot_hold_is_refused_beside_its_field(
    qtbot: QtBot, ward: Ward, form: Form, typed: dict[str, str], field_name: str, words: str
) -> None:
    """SQLite would store it; PostgreSQL raised DataError ("value too long for type character
    varying(60)", "text fields cannot contain NUL"), an error no form could place."""
    dialog = _save(qtbot, ward, form, **typed)
    _refused_beside(dialog, field_name, words)
    assert not text_no_database_holds(ward.clinic)


# --- "72,5" and "1.000" under en_US and under de_DE: one reading ----------------------------


@pytest.fixture(params=["en_US", "de_DE"])
def locale(request: pytest.FixtureRequest) -> Iterator[str]:
    """Offscreen tests start in the C locale; a clinic machine may be in either of these."""
    before = QLocale()
    QLocale.setDefault(QLocale(request.param))
    yield request.param
    QLocale.setDefault(before)


@pytest.mark.parametrize(
    ("text", "weight", "days", "triglycerides"),
    [
        pytest.param("72,5", D("72.5"), Refused(WHOLE), Refused(NUMBER), id="72,5"),
        pytest.param("72.5", D("72.5"), Refused(WHOLE), D("72.5"), id="72.5"),
        pytest.param("1,000", Refused("ambiguous"), Refused(WHOLE), Refused(NUMBER), id="1,000"),
        pytest.param("1.000", Refused("between"), Refused(WHOLE), D("1.000"), id="1.000"),
    ],
)
def test_the_same_reading_under_en_us_and_de_de(
    qtbot: QtBot,
    ward: Ward,
    locale: str,
    text: str,
    weight: Decimal | Refused,
    days: Refused,
    triglycerides: Decimal | Refused,
) -> None:
    assert QLocale().name() == locale
    box = WeightInput()
    qtbot.addWidget(box)
    box.number_edit.setText(text)
    problem = box.problem()
    if isinstance(weight, Refused):
        assert problem is not None
        assert weight in problem.message
        assert weight in box.both_units_label.text()  # shown under the box as it is typed
    else:
        assert (box.value(), problem) == (weight, None)
    fill = FILL.open(ward)
    qtbot.addWidget(fill)
    assert isinstance(fill, FillDialog)
    fill.days_supply_input.setText(text)
    typed_fill = fill.typed()
    assert isinstance(typed_fill, Problem)
    assert days in typed_fill.message
    lab = LAB.open(ward)
    qtbot.addWidget(lab)
    assert isinstance(lab, LabEntryDialog)
    LAB.fill(ward, lab, triglycerides_input__value_edit=text)
    typed_lab = lab.typed()
    if isinstance(triglycerides, Refused):
        assert isinstance(typed_lab, Problem)
        assert triglycerides in typed_lab.message
    else:
        assert isinstance(typed_lab, LabEntryDraft)
        result = typed_lab.results.get(Analyte.TRIGLYCERIDES)
        assert result is not None
        assert (result.value, result.unit) == (triglycerides, LabUnit.MG_DL)


@pytest.mark.parametrize(
    ("table", "rows"),
    [
        ("days' supply", DAYS_SUPPLY),
        ("capsules", CAPSULES),
        ("lab values", LAB_VALUES),  # in each of the 34 boxes of ALL_LAB_BOXES
        ("idle-lock minutes", IDLE_MINUTES),
    ],
)
def test_every_table_has_at_least_30_rows(table: str, rows: list[object]) -> None:
    assert len(rows) >= 30, table
