"""Benchmark: opening a patient's chart from the worklist on a 10,000-patient demo clinic,
built and painted on the tab the worklist item asks for (issue 4: under 150 ms). Not run
by pytest.

    .venv/bin/python tests/bench/bench_chart_from_worklist.py [--db PATH] [--sessions 3]
        [--charts 4]

Each session is a fresh process: sign in (not timed), the main window with its worklist
shown, then for each tab in turn (Course, iPLEDGE, Labs, Consents) the nurse picks the
item's kind in the worklist's filter when the tab needs it, selects the next row of that
tab's kinds for a patient not opened before, and presses Enter. Timed from the key to the
chart's own background reads and the tab's panel's reads all delivered (the app's thread
pool, counted by a runner that wraps it), then the window painted (`grab`). The chart is
closed (Back) and the worklist's reload waited for between charts, untimed.

The first chart of a session pays one-off costs (the first chart, first panel of each kind
built in the process); it is reported apart from the per-tab figures.

The clinic is the one tests/bench/bench_clinic_day.py builds (/tmp/isotrack-bench-N.db);
it must be at the schema head (`isotrack db upgrade` on a copy says "up to date").
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from itertools import cycle

from PySide6.QtCore import (
    QCoreApplication,
    QEvent,
    QEventLoop,
    QModelIndex,
    QObject,
    QRunnable,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtTest import QTest

from desktop.services.context import open_clinic
from desktop.services.staff import sign_in
from desktop.ui import tasks
from desktop.ui.app import application
from desktop.ui.chart.chart_tab import ChartTab
from desktop.ui.main_window import MainWindow
from desktop.ui.worklist.worklist_view import tab_for

PASSWORD = "bench password 1"
TAB_KINDS = {
    ChartTab.COURSE: ("visit",),
    ChartTab.IPLEDGE: (
        "fill_window_closing",
        "pregnancy_test",
        "counseling_confirmation",
        "comprehension_questions",
        "confirmation_test",
        "post_course_pregnancy_test",
        "end_of_course_pregnancy_test",
    ),
    ChartTab.LABS: ("lab",),
    ChartTab.CONSENTS: ("consent_missing",),
}
"""Each tab the worklist opens (worklist_view.tab_for), with the kinds that open it, chosen
in the kind filter one after another so the patients are at different stages."""
WAIT_S = 20


class Notifier(QObject):
    """Lives on the GUI thread. A task's `finished` is queued after its own result, so by
    the time it arrives the result's callback (and any task that started) has run."""

    finished = Signal()


class Tracked(QRunnable):
    def __init__(self, inner: QRunnable, notifier: Notifier) -> None:
        super().__init__()
        self._inner, self._notifier = inner, notifier

    def run(self) -> None:
        try:
            self._inner.run()
        finally:
            self._notifier.finished.emit()


class CountingRunner:
    """The app's thread pool, counting the tasks started and not yet delivered."""

    def __init__(self) -> None:
        self.pending = 0
        self.notifier = Notifier()
        self.notifier.finished.connect(self._on_finished, Qt.ConnectionType.QueuedConnection)
        self._loop: QEventLoop | None = None
        self._deadline = QTimer(singleShot=True, interval=WAIT_S * 1000)
        self._deadline.timeout.connect(self._wake)

    def _on_finished(self) -> None:
        self.pending -= 1
        if not self.pending:
            self._wake()

    def _wake(self) -> None:
        if self._loop is not None:
            self._loop.quit()

    def start(self, runnable: QRunnable) -> None:
        self.pending += 1
        QThreadPool.globalInstance().start(Tracked(runnable, self.notifier))

    def settle(self) -> None:
        """Run the event loop (not a busy loop) until every task is delivered, waking the
        moment the last one is. (Waking on each task's own `finished` missed one delivered
        between two waits and slept on for the safety timer: up to 50 ms on a figure.)"""
        if self.pending:
            self._loop = QEventLoop()
            self._deadline.start()
            self._loop.exec()
            self._deadline.stop()
            self._loop = None
        if self.pending:
            raise TimeoutError("background tasks never finished")
        QCoreApplication.processEvents()


class Session:
    """A signed-in main window with its worklist shown, opening charts from it."""

    def __init__(self, url: str) -> None:
        self.app = application()
        self.runner = CountingRunner()
        tasks.use_runner(self.runner)
        ctx = sign_in(open_clinic(url), "admin", PASSWORD)
        self.window = MainWindow(ctx)
        self.window.show()
        self.window.activateWindow()
        self.runner.settle()
        self.opened: set[int] = set()

    def next_row(self, tab: ChartTab, kind: str) -> QModelIndex:
        """The first row of `kind` (chosen in the filter) for a patient not opened yet."""
        view = self.window.worklist_view
        index = view.kind_input.findData(kind)
        if view.kind_input.currentIndex() != index:
            view.kind_input.setCurrentIndex(index)  # a new read
            self.runner.settle()
        for row, record in enumerate(view.model.records()):
            if tab_for(record.kind) is tab and record.patient_id not in self.opened:
                self.opened.add(record.patient_id)
                return view.model.index(row, 0)
        raise LookupError(f"no unopened {kind} row on the worklist")

    def open_chart(self, tab: ChartTab, index: QModelIndex) -> float:
        """Enter on the row; ms until every read is shown and the window painted."""
        table = self.window.worklist_view.table
        table.setCurrentIndex(index)
        self.app.processEvents()
        started = time.perf_counter()
        QTest.keyClick(table, Qt.Key.Key_Return)
        self.runner.settle()
        chart = self.window.chart
        assert chart is not None
        assert chart.current_tab() is tab, (chart.current_tab(), tab)
        assert tab in chart.panels, f"the {tab} panel was not built"
        self.window.grab()
        elapsed = (time.perf_counter() - started) * 1000
        self.window.close_chart()
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        self.runner.settle()  # the worklist reads itself again when it comes back into view
        return elapsed

    def run(self, charts_per_tab: int) -> dict[str, object]:
        kinds: dict[ChartTab, Iterator[str]] = {tab: cycle(k) for tab, k in TAB_KINDS.items()}
        first_tab = next(iter(TAB_KINDS))
        first = self.open_chart(first_tab, self.next_row(first_tab, next(kinds[first_tab])))
        figures: dict[str, list[float]] = {tab.value: [] for tab in TAB_KINDS}
        for _ in range(charts_per_tab):
            for tab, tab_kinds in kinds.items():
                index = self.next_row(tab, next(tab_kinds))
                figures[tab.value].append(self.open_chart(tab, index))
        return {"first_chart_ms": first, "tabs": figures}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", default="/tmp/isotrack-bench-10000.db")
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--charts", type=int, default=4, help="per tab and session")
    parser.add_argument("--session", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    url = f"sqlite:///{args.db}"
    if args.session:
        print(json.dumps(Session(url).run(args.charts)))
        return
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    firsts: list[float] = []
    tabs: dict[str, list[float]] = {tab.value: [] for tab in TAB_KINDS}
    for _ in range(args.sessions):
        command = [sys.executable, __file__, "--session", "--db", args.db]
        command += ["--charts", str(args.charts)]
        out = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
        result = json.loads(out.strip().splitlines()[-1])
        firsts.append(result["first_chart_ms"])
        for tab, values in result["tabs"].items():
            tabs[tab].extend(values)
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) after the run")
    print(f"{'first chart of a session':26} median {statistics.median(firsts):7.1f} ms", end="")
    print(f"  worst {max(firsts):7.1f} ms (runs: {len(firsts)})")
    for tab, values in tabs.items():
        print(f"{'chart on ' + tab:26} median {statistics.median(values):7.1f} ms", end="")
        print(f"  worst {max(values):7.1f} ms (runs: {len(values)})")


if __name__ == "__main__":
    main()
