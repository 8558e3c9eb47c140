"""The labs panel and its entry dialog: what is due next, each analyte of a panel typed with
its unit and the lab's range, results shown with units and range, flags in the row coloured
by level (domain.md §3.3, §3.4)."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

import re
from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from PySide6.QtWidgets import QApplication, QLabel
from pytestqt.qtbot import QtBot

from desktop.rules.lab_analytes import PANEL_ANALYTES, Analyte, AnalyteResult, LabUnit
from desktop.rules.labs import LabPanel, LabResults
from desktop.services.context import Context
from desktop.services.labs import LabEntryDraft, list_labs, record_lab
from desktop.services.worklist import load_worklist
from desktop.ui.labs.analyte_input import AnalyteInput
from desktop.ui.labs.lab_entry_dialog import LabEntryDialog
from desktop.ui.labs.labs_panel import LabsPanel
from tests.ui.conftest import Screenshot
from tests.ui.courses import start_test_course
from tests.ui.form_drivers import choose
from tests.ui.keyboard import answer_modal
from tests.ui.mnemonics import clashes

CLICK = Qt.MouseButton.LeftButton
ALT_KEY = Qt.KeyboardModifier.AltModifier
URGENT_TG = "URGENT: Triglycerides above 800 mg/dL: prescriber review today."


@pytest.fixture
def course_id(nurse_ctx: Context, prescriber_ctx: Context) -> int:
    return start_test_course(nurse_ctx).id


def _panel(qtbot: QtBot, ctx: Context, course_id: int) -> LabsPanel:
    panel = LabsPanel(ctx, course_id)
    qtbot.addWidget(panel)
    panel.resize(1100, 500)
    panel.show()
    return panel


def _row(panel: LabsPanel, row: int) -> dict[str, str]:
    model = panel.model
    return {
        model.headerData(c, Qt.Orientation.Horizontal): model.data(model.index(row, c))
        for c in range(model.columnCount())
    }


def _type_row(qtbot: QtBot, box: AnalyteInput, value: str, low: str = "", high: str = "") -> None:
    for text, edit in ((value, box.value_edit), (low, box.lower_edit), (high, box.upper_edit)):
        qtbot.keyClicks(edit, text)


def test_what_is_due_next_before_any_draw(qtbot: QtBot, nurse_ctx: Context, course_id: int) -> None:
    panel = _panel(qtbot, nurse_ctx, course_id)
    assert panel.due_label.text().splitlines() == [
        "⚠ Overdue: Baseline liver function tests: due 2026-11-02 (a draw from 2026-10-03 counts)",
        "⚠ Overdue: Baseline fasting lipid profile (no alcohol for 36 hours before): due "
        "2026-11-02 (a draw from 2026-10-03 counts)",
    ]
    assert panel.model.rowCount() == 0


def test_a_full_lipid_panel_with_the_labs_ranges_shows_its_flags(
    qtbot: QtBot, nurse_ctx: Context, course_id: int, screenshot: Screenshot
) -> None:
    panel = _panel(qtbot, nurse_ctx, course_id)
    changed: list[int] = []
    panel.course_changed.connect(changed.append)
    suggested: list[str] = []

    def fill(dialog: LabEntryDialog) -> None:
        suggested.append(dialog.panel_input.currentText())  # the first panel due
        choose(dialog.panel_input, LabPanel.LIPIDS.value)
        qtbot.keyClicks(dialog.drawn_input, "2026-11-19")
        _type_row(qtbot, dialog.total_cholesterol_input, "212", "", "200")
        _type_row(qtbot, dialog.ldl_input, "128.0", "0", "130")
        _type_row(qtbot, dialog.hdl_input, "38", "40", "")
        _type_row(qtbot, dialog.triglycerides_input, "900", "", "150")
        qtbot.keyClick(dialog.triglycerides_input.upper_edit, Qt.Key.Key_Return)

    answer_modal(LabEntryDialog, fill)
    qtbot.mouseClick(panel.record_button, CLICK)
    assert suggested == ["Liver function tests"]
    assert changed == [course_id]
    row = _row(panel, 0)
    assert (row["Panel"], row["Ordered"], row["Drawn"]) == (
        "Fasting lipids",
        "2026-11-20",
        "2026-11-19",
    )
    assert row["Results"].splitlines() == [
        "Total cholesterol 212 mg/dL, lab's range ≤ 200",
        "LDL cholesterol 128.0 mg/dL, lab's range 0–130",
        "HDL cholesterol 38 mg/dL, lab's range ≥ 40",
        "Triglycerides 900 mg/dL, lab's range ≤ 150",
    ]
    assert row["Flags"].splitlines() == [
        URGENT_TG,
        "Info: Total cholesterol 212 mg/dL is outside the lab's reference range (≤ 200 mg/dL): "
        "for the prescriber's review (clinic policy).",
        "Info: HDL cholesterol 38 mg/dL is outside the lab's reference range (≥ 40 mg/dL): for "
        "the prescriber's review (clinic policy).",
    ]
    background = panel.model.data(panel.model.index(0, 3), Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QBrush)
    assert background.color().name() == "#fde8e7"
    worklist = [r.message for r in load_worklist(nurse_ctx).rows if "drawn" in r.message]
    assert worklist == [
        "Triglycerides 900 mg/dL drawn 2026-11-19: Triglycerides above 800 mg/dL: prescriber "
        "review today."
    ]
    screenshot(panel, "labs-panel")


def test_a_blood_count_with_the_labs_ranges_shows_its_flags(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    panel = _panel(qtbot, nurse_ctx, course_id)

    def fill(dialog: LabEntryDialog) -> None:
        choose(dialog.panel_input, LabPanel.CBC.value)
        assert dialog.wbc_input.isVisible()
        assert not dialog.triglycerides_input.isVisible()
        qtbot.keyClicks(dialog.drawn_input, "2026-11-18")
        _type_row(qtbot, dialog.wbc_input, "6.2", "4.0", "11.0")
        _type_row(qtbot, dialog.hemoglobin_input, "11.4", "12", "15.5")
        _type_row(qtbot, dialog.platelets_input, "250", "150", "450")
        qtbot.mouseClick(dialog.save_button, CLICK)

    answer_modal(LabEntryDialog, fill)
    qtbot.mouseClick(panel.record_button, CLICK)
    row = _row(panel, 0)
    assert row["Panel"] == "Complete blood count"
    assert row["Results"].splitlines() == [
        "White cells (WBC) 6.2 × 10³/µL, lab's range 4.0–11.0",
        "Haemoglobin 11.4 g/dL, lab's range 12–15.5",
        "Platelets 250 × 10³/µL, lab's range 150–450",
    ]
    assert row["Flags"] == (
        "Info: Haemoglobin 11.4 g/dL is outside the lab's reference range (12–15.5 g/dL): for "
        "the prescriber's review (clinic policy)."
    )
    background = panel.model.data(panel.model.index(0, 0), Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QBrush)
    assert background.color().name() == "#eef4fb"
    (saved,) = list_labs(nurse_ctx, course_id)
    assert saved.results.get(Analyte.HEMOGLOBIN) == AnalyteResult(
        Analyte.HEMOGLOBIN, Decimal("11.4"), LabUnit.G_DL, Decimal(12), Decimal("15.5")
    )


def test_alt_with_the_labs_upper_limit_and_the_repeat_due(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    record_lab(
        nurse_ctx,
        LabEntryDraft(
            course_id,
            LabPanel.LFT,
            date(2026, 10, 20),
            date(2026, 10, 21),
            LabResults(alt_u_l=Decimal(52), alt_uln_u_l=Decimal(40)),
        ),
    )
    panel = _panel(qtbot, nurse_ctx, course_id)
    assert _row(panel, 0)["Results"] == "ALT 52 U/L, lab's range ≤ 40"
    assert _row(panel, 0)["Flags"] == "Info: ALT above the lab's upper limit: recheck."
    assert "Repeat liver function tests: due 2026-11-21" in panel.due_label.text().splitlines()


def test_rows_loaded_before_the_panel_is_shown_fit_its_columns(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    """As in a chart tab: the panel loads, then shows. Rows measured against the columns of
    an unshown table were 625 px tall and their text sat below the view."""
    results = LabResults(
        [
            AnalyteResult(
                Analyte.TOTAL_CHOLESTEROL, Decimal(212), LabUnit.MG_DL, None, Decimal(200)
            ),
            AnalyteResult(Analyte.HDL, Decimal(38), LabUnit.MG_DL, Decimal(40)),
            AnalyteResult(Analyte.TRIGLYCERIDES, Decimal(900), LabUnit.MG_DL, None, Decimal(150)),
        ]
    )
    record_lab(
        nurse_ctx, LabEntryDraft(course_id, LabPanel.LIPIDS, None, date(2026, 11, 19), results)
    )
    panel = _panel(qtbot, nurse_ctx, course_id)
    qtbot.waitUntil(lambda: panel.table.rowHeight(0) < panel.table.viewport().height() / 2)


def test_triglycerides_in_mmol_are_shown_with_their_mg_equivalent(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = LabEntryDialog(nurse_ctx, course_id)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.drawn_input, "2026-11-19")
    unit = dialog.triglycerides_input.unit_input
    assert unit is not None
    choose(unit, LabUnit.MMOL_L.value)
    qtbot.keyClicks(dialog.triglycerides_input.value_edit, "9.2")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.result_record is not None
    panel = _panel(qtbot, nurse_ctx, course_id)
    assert _row(panel, 0)["Results"] == "Triglycerides 9.2 mmol/L (≈ 815 mg/dL), no range given"
    assert _row(panel, 0)["Flags"] == URGENT_TG


def test_problems_show_beside_the_analyte_and_nothing_is_saved(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = LabEntryDialog(nurse_ctx, course_id, panel=LabPanel.LFT)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.triglycerides_input.isVisible()
    qtbot.keyClicks(dialog.alt_input.value_edit, "52")
    qtbot.keyClicks(dialog.alt_input.upper_edit, "forty")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("alt").text() == "Type a number, e.g. 182 or 2.05."
    dialog.alt_input.upper_edit.clear()
    qtbot.keyClicks(dialog.alt_input.upper_edit, "40")
    qtbot.keyClicks(dialog.alt_input.lower_edit, "60")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("alt").text() == (
        "The lower limit is above the upper limit: check the lab's range."
    )
    dialog.alt_input.lower_edit.clear()
    qtbot.keyClicks(dialog.alp_input.lower_edit, "40")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("alp").text() == (
        "Type the value, or clear the lab's range."
    )
    assert dialog.focusWidget() is dialog.alp_input.value_edit
    dialog.alp_input.lower_edit.clear()
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("drawn_on").text() == (
        "Results need the date the blood was drawn."
    )
    assert list_labs(nurse_ctx, course_id) == ()
    assert dialog.alt_input.value_edit.text() == "52"  # a refused save keeps what was typed


@pytest.mark.parametrize("panel", list(LabPanel))
def test_each_panel_is_typed_by_keyboard_alone(
    qtbot: QtBot, nurse_ctx: Context, course_id: int, panel: LabPanel
) -> None:
    """Shown mnemonics are unique; Alt+letter lands in the analyte's value (ALP, LDL and
    platelets share L, one per panel); Tab walks value, unit, range in order and never into a
    hidden row."""
    dialog = LabEntryDialog(nurse_ctx, course_id, panel=panel)
    qtbot.addWidget(dialog)
    dialog.show()
    with qtbot.waitActive(dialog):  # Alt+letter reaches only the active window
        dialog.activateWindow()
    assert clashes(dialog) == {}
    rows = [dialog.analyte_inputs[a] for a in PANEL_ANALYTES[panel]]
    for box in rows:
        label = next(label for label in dialog.findChildren(QLabel) if label.buddy() is box)
        letter = re.search(r"&(\w)", label.text())
        assert letter is not None
        dialog.drawn_input.setFocus()
        qtbot.keyClick(dialog, getattr(Qt.Key, f"Key_{letter.group(1).upper()}"), ALT_KEY)
        assert QApplication.focusWidget() is box.value_edit, label.text()
    walked = []
    rows[0].value_edit.setFocus()
    for _ in range(sum(len(box.tab_chain()) for box in rows)):
        focused = QApplication.focusWidget()
        assert focused is not None
        walked.append(focused)
        qtbot.keyClick(focused, Qt.Key.Key_Tab)
    assert walked == [w for box in rows for w in box.tab_chain()]
    assert QApplication.focusWidget() is dialog.save_button


def test_an_order_waiting_for_its_draw_is_listed_first(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    lipids = LabResults(triglycerides_mg_dl=Decimal(140))
    record_lab(nurse_ctx, LabEntryDraft(course_id, LabPanel.LFT, date(2026, 11, 19), None))
    record_lab(
        nurse_ctx,
        LabEntryDraft(course_id, LabPanel.LIPIDS, None, date(2026, 11, 2), lipids),
    )
    panel = _panel(qtbot, nurse_ctx, course_id)
    assert [(_row(panel, r)["Panel"], _row(panel, r)["Drawn"]) for r in range(2)] == [
        ("Liver function tests", "Not drawn yet"),
        ("Fasting lipids", "2026-11-02"),
    ]
    assert _row(panel, 1)["Ordered"] == "—"
    assert _row(panel, 0)["Results"] == ""
