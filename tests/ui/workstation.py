"""The main window driven as the staff at the desk drive it, for tests that follow a patient
over weeks (tests/ui/test_nurse_journey.py): pages and the lock by their shortcuts, the
worklist read row by row as it is shown, an item opened with Enter, the chart left with
Alt+Left, modal dialogs answered while they are open, and the clinic's clock moved on.

A modal dialog never hangs the run. One answered here is closed if the answer fails or Save
leaves it open (a refused save), and the test fails with what it showed. One nobody answers
(a question or warning the test did not expect, even inside a dialog being answered) is
closed after a second, and the next step fails naming it.
"""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from typing import TypeVar

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLabel,
    QLineEdit,
    QMessageBox,
    QWidget,
)
from pytestqt.qtbot import QtBot

from desktop.services.context import FixedClock
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.chart.patient_chart_view import PatientChartView
from desktop.ui.main_window import MainWindow
from tests.conftest import PASSWORD
from tests.ui.keyboard import answer_modal

CLICK = Qt.MouseButton.LeftButton
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
CLINIC_HOURS_UTC = time(15, 30)
"""10:30 in New York, the test clinic's zone: the same date there as in UTC."""
STATUS, DUE, MRN, WHAT_TO_DO = 1, 2, 4, 5
"""Worklist columns the nurse reads (worklist_table_model)."""
STRAY_POLL_MS, STRAY_POLLS = 100, 10
"""A modal nobody answers is closed after 1 s; answer_modal answers within 10 ms."""
D = TypeVar("D", bound=QDialog)


@dataclass(frozen=True)
class Row:
    """One worklist row as shown: 'This week', 'Thu 2026-12-10', 'Confirmation …'."""

    status: str
    due: str
    what_to_do: str


def choose(combo: QComboBox, data: object) -> None:
    """Pick the entry that stands for `data`, as a click in the open list would."""
    index = combo.findData(data)
    assert index >= 0, f"{data!r} is not offered"
    combo.setCurrentIndex(index)


def retype(qtbot: QtBot, box: QLineEdit, text: str) -> None:
    """Select all and type over it (text fields that come filled in, such as dates)."""
    box.selectAll()
    qtbot.keyClick(box, Qt.Key.Key_Backspace)
    qtbot.keyClicks(box, text)


class Workstation:
    """One main window on the clinic's workstation, signed in as whoever is at the desk."""

    def __init__(self, qtbot: QtBot, window: MainWindow, clock: FixedClock, mrn: str) -> None:
        self.qtbot = qtbot
        self.window = window
        self.clock = clock
        self.mrn = mrn
        self.stray_modals: list[str] = []
        """Modals nobody answered, closed by the guard; the next step fails naming them."""
        self._answering: list[type[QDialog]] = []
        self._stray_polls = 0
        guard = QTimer(window)
        guard.setInterval(STRAY_POLL_MS)
        guard.timeout.connect(self._close_stray_modal)
        guard.start()

    # --- time and people ---------------------------------------------------------------

    def go_to_day(self, day: date) -> None:
        """The clinic's clock on `day`, in clinic hours (the app reads 'today' from it)."""
        self.clock.instant = datetime.combine(day, CLINIC_HOURS_UTC, tzinfo=UTC)

    def today(self) -> date:
        return self.window.ctx.today()

    def sign_in_as(self, username: str) -> None:
        """Ctrl+L locks the window; whoever signs in next gets it (their own views)."""
        self.shortcut(Qt.Key.Key_L)
        assert self.window.is_locked
        dialog = self.window.unlock_dialog
        assert dialog is not None
        dialog.username_input.clear()
        self.qtbot.keyClicks(dialog.username_input, username)
        self.qtbot.keyClicks(dialog.password_input, PASSWORD)
        self.qtbot.mouseClick(dialog.sign_in_button, CLICK)
        assert self.window.ctx.actor.username == username
        assert not self.window.is_locked

    # --- modal dialogs -------------------------------------------------------------------

    def answer(
        self,
        kind: type[D],
        fill: Callable[[D], None],
        action: Callable[[], None],
        *,
        accepted: bool | None = True,
    ) -> D:
        """Run `action`, which opens a modal `kind`; `fill` types into it and saves. The
        dialog must have closed, accepted. `accepted=None` for the dialogs of Qt's static
        functions (QMessageBox.question, QInputDialog.getText): they end with the button
        pressed rather than a dialog code, and are deleted once answered."""
        self.check_no_stray_modal()
        failures: list[BaseException] = []

        def answer_safely(dialog: D) -> None:
            try:
                fill(dialog)
                if dialog.isVisible():
                    raise AssertionError(f"{kind.__name__} stayed open: {_shown_error(dialog)}")
            except BaseException as failure:
                failures.append(failure)
                dialog.reject()

        seen = answer_modal(kind, answer_safely)
        self._answering.append(kind)
        try:
            action()
        finally:
            self._answering.pop()
        if failures:
            raise failures[0]
        self.check_no_stray_modal()
        assert seen, f"{kind.__name__} did not open"
        if accepted is not None:
            wanted = QDialog.DialogCode.Accepted if accepted else QDialog.DialogCode.Rejected
            assert seen[0].result() == wanted
        return seen[0]

    def _close_stray_modal(self) -> None:
        """A modal that is neither being answered nor the sign-in of a locked window would
        wait for ever (exec() returns only when someone answers): close it once it has
        been up for STRAY_POLLS polls in a row, and remember what it said."""
        modal = QApplication.activeModalWidget()
        expected = (
            not isinstance(modal, QDialog)
            or not modal.isVisible()
            or modal is self.window.unlock_dialog
            or isinstance(modal, tuple(self._answering))
        )
        if expected:
            self._stray_polls = 0
            return
        self._stray_polls += 1
        if self._stray_polls >= STRAY_POLLS:
            assert isinstance(modal, QDialog)
            self._stray_polls = 0
            self.stray_modals.append(_describe_modal(modal))
            modal.reject()

    def check_no_stray_modal(self) -> None:
        """Fail if a modal came up that nobody answered (the guard has closed it)."""
        if self.stray_modals:
            closed, self.stray_modals = self.stray_modals, []
            raise AssertionError(f"unexpected dialog closed unanswered: {closed}")

    def shortcut(self, key: Qt.Key, modifier: Qt.KeyboardModifier = CTRL) -> None:
        """A window shortcut (Ctrl+1 …)."""
        self._activate()
        self.qtbot.keyClick(self.window, key, modifier)

    def _activate(self) -> None:
        """Offscreen, a closed dialog stays the active window until another is activated,
        as a window manager does at once; shortcuts reach only the active window."""
        if QApplication.activeWindow() is not self.window:
            self.window.activateWindow()
            self.qtbot.waitUntil(lambda: QApplication.activeWindow() is self.window)

    def click(self, button: QWidget) -> None:
        self.qtbot.mouseClick(button, CLICK)

    # --- pages, the worklist and the chart ------------------------------------------------

    def worklist(self) -> list[Row]:
        """Ctrl+1 and Reload (F5): our patient's rows, most urgent first, as shown."""
        self.check_no_stray_modal()
        self.shortcut(Qt.Key.Key_1)
        view = self.window.worklist_view
        assert view.isVisible(), "a chart covers the worklist: go back first"
        with self.qtbot.waitSignal(view.loaded):
            self.shortcut(Qt.Key.Key_F5, Qt.KeyboardModifier.NoModifier)
        model = view.model
        rows = []
        for row in range(model.rowCount()):
            if model.data(model.index(row, MRN)) == self.mrn:
                cells = (model.data(model.index(row, c)) for c in (STATUS, DUE, WHAT_TO_DO))
                rows.append(Row(*cells))
        return rows

    def find_patient(self) -> PatientChartView:
        """Ctrl+2, the MRN typed in the search box, Enter: the chart of the one match."""
        self.shortcut(Qt.Key.Key_2)
        patients = self.window.patients_view
        with self.qtbot.waitSignal(patients.results_shown):
            retype(self.qtbot, patients.search_input, self.mrn)
        assert patients.model.rowCount() == 1
        self.qtbot.keyClick(patients.search_input, Qt.Key.Key_Return)
        self.check_no_stray_modal()
        return self.chart()

    def open_item(self, starts_with: str, tab: ChartTab) -> PatientChartView:
        """Select the row whose 'What to do' starts so, press Enter: the chart opens on
        the tab the item is about."""
        self.worklist()
        view = self.window.worklist_view
        model = view.model
        found = [
            r
            for r in range(model.rowCount())
            if model.data(model.index(r, MRN)) == self.mrn
            and str(model.data(model.index(r, WHAT_TO_DO))).startswith(starts_with)
        ]
        assert len(found) == 1, f"{len(found)} rows start with {starts_with!r}"
        view.table.setCurrentIndex(model.index(found[0], 0))
        self.qtbot.keyClick(view.table, Qt.Key.Key_Return)
        chart = self.chart()
        assert chart.current_tab() is tab
        return chart

    def chart(self) -> PatientChartView:
        chart = self.window.chart
        assert chart is not None, "no chart is open"
        return chart

    def back(self) -> None:
        """Back to the list the chart came from: Alt+Left where the focus is in the chart,
        else a click on its Back button (the focus can be outside: see the note below)."""
        chart = self.chart()
        self._activate()
        focused = QApplication.focusWidget()
        if focused is not None and chart.isAncestorOf(focused):
            self.qtbot.keyClick(focused, Qt.Key.Key_Left, ALT)
        else:
            # After a click on a tab whose panel is built on first show, the focus goes to
            # the navigation list, where Alt+Left does nothing.
            self.click(chart.back_button)
        assert self.window.chart is None
        self.check_no_stray_modal()


def _describe_modal(modal: QDialog) -> str:
    text = modal.text() if isinstance(modal, QMessageBox) else _shown_error(modal)
    return f"{type(modal).__name__} {modal.windowTitle()!r}: {text}"


def _shown_error(dialog: QDialog) -> str:
    labels = [
        label.text()
        for label in dialog.findChildren(QLabel)
        if label.objectName() == "error" and label.isVisible() and label.text()
    ]
    return " | ".join(labels) or "no message shown"
