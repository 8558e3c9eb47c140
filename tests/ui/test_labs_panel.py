"""The labs panel: what is due next, results with units and the lab's range, and flags in
the row coloured by level."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from datetime import date
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush
from pytestqt.qtbot import QtBot

from desktop.rules.labs import LabPanel, LabResults
from desktop.services.context import Context
from desktop.services.labs import LabEntryDraft, list_labs, record_lab
from desktop.ui.labs.lab_entry_dialog import LabEntryDialog
from desktop.ui.labs.labs_panel import LabsPanel
from tests.ui.conftest import Screenshot
from tests.ui.courses import start_test_course
from tests.ui.keyboard import answer_modal

CLICK = Qt.MouseButton.LeftButton
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


def test_what_is_due_next_before_any_draw(qtbot: QtBot, nurse_ctx: Context, course_id: int) -> None:
    panel = _panel(qtbot, nurse_ctx, course_id)
    assert panel.due_label.text().splitlines() == [
        "⚠ Overdue: Baseline liver function tests: due 2026-11-02 (a draw from 2026-10-03 counts)",
        "⚠ Overdue: Baseline fasting lipid profile (no alcohol for 36 hours before): due "
        "2026-11-02 (a draw from 2026-10-03 counts)",
    ]
    assert panel.model.rowCount() == 0


def test_triglycerides_of_801_show_the_urgent_flag_in_a_red_row(
    qtbot: QtBot, nurse_ctx: Context, course_id: int, screenshot: Screenshot
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
    changed: list[int] = []
    panel.course_changed.connect(changed.append)

    def fill(dialog: LabEntryDialog) -> None:
        assert dialog.panel_input.currentText().startswith("Fasting lipid profile")
        qtbot.keyClicks(dialog.drawn_input, "2026-11-19")
        qtbot.keyClicks(dialog.triglycerides_input, "801")
        qtbot.mouseClick(dialog.save_button, CLICK)

    answer_modal(LabEntryDialog, fill)
    qtbot.mouseClick(panel.record_button, CLICK)
    assert changed == [course_id]
    assert _row(panel, 0) == {
        "Panel": "Fasting lipids",
        "Ordered": "2026-11-20",
        "Drawn": "2026-11-19",
        "Triglycerides": "801 mg/dL",
        "ALT": "",
        "AST": "",
        "Flags": URGENT_TG,
    }
    background = panel.model.data(panel.model.index(0, 3), Qt.ItemDataRole.BackgroundRole)
    assert isinstance(background, QBrush)
    assert background.color().name() == "#fde8e7"
    assert _row(panel, 1)["ALT"] == "52 U/L (normal ≤ 40)"
    assert _row(panel, 1)["Flags"] == "Info: ALT above the lab's upper limit: recheck."
    assert panel.due_label.text().splitlines()[0] == "Repeat liver function tests: due 2026-11-21"
    screenshot(panel, "labs-panel")


def test_triglycerides_in_mmol_are_shown_with_their_mg_equivalent(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = LabEntryDialog(nurse_ctx, course_id)
    qtbot.addWidget(dialog)
    qtbot.keyClicks(dialog.drawn_input, "2026-11-19")
    qtbot.keyClicks(dialog.triglycerides_input, "9.2")
    dialog.triglycerides_unit_input.setCurrentText("mmol/L")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.result_record is not None
    panel = _panel(qtbot, nurse_ctx, course_id)
    assert _row(panel, 0)["Triglycerides"] == "9.2 mmol/L (≈ 815 mg/dL)"
    assert _row(panel, 0)["Flags"] == URGENT_TG


def test_liver_values_need_a_number_and_results_need_the_draw_date(
    qtbot: QtBot, nurse_ctx: Context, course_id: int
) -> None:
    dialog = LabEntryDialog(nurse_ctx, course_id, panel=LabPanel.LFT)
    qtbot.addWidget(dialog)
    dialog.show()
    assert not dialog.triglycerides_input.isVisible()
    qtbot.keyClicks(dialog.alt_input, "52")
    qtbot.keyClicks(dialog.alt_uln_input, "forty")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("alt_u_l").text() == "Type a number, e.g. 182 or 2.05."
    dialog.alt_uln_input.clear()
    qtbot.keyClicks(dialog.alt_uln_input, "40")
    qtbot.mouseClick(dialog.save_button, CLICK)
    assert dialog.problems.problem_label("drawn_on").text() == (
        "Results need the date the blood was drawn."
    )
    assert list_labs(nurse_ctx, course_id) == ()


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
