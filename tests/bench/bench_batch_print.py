"""Benchmark: does the window stay responsive while a batch of consent packets is built and
printed? (not run by pytest)

    QT_QPA_PLATFORM=offscreen .venv/bin/python tests/bench/bench_batch_print.py [--packets 50]

A 5 ms timer ticks on the GUI thread through the whole batch; the longest gap between two
ticks is the longest the window could not paint or answer a click. The batch is built on the
real thread pool and "printed" to a PDF file through QPrinter, as Print all does.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication

from desktop.cli import main as cli
from desktop.services.context import open_clinic
from desktop.services.patients import search_patients
from desktop.services.printing import TodaysPatient
from desktop.services.staff import sign_in
from desktop.ui import tasks
from desktop.ui.printing.print_batch_dialog import BatchKind, PrintBatchDialog

PASSWORD = "bench password 1"
TICK_MS = 5


class Gaps:
    """The intervals between ticks of a 5 ms timer on the GUI thread."""

    def __init__(self) -> None:
        self.gaps_ms: list[float] = []
        self._last = time.perf_counter()
        self.timer = QTimer()
        self.timer.setInterval(TICK_MS)
        self.timer.timeout.connect(self._tick)

    def _tick(self) -> None:
        now = time.perf_counter()
        self.gaps_ms.append((now - self._last) * 1000)
        self._last = now

    def start(self) -> None:
        self._last = time.perf_counter()
        self.timer.start()


def _wait_for(signal: object, timeout_ms: int = 600_000) -> None:
    loop = QEventLoop()
    signal.connect(loop.quit)  # type: ignore[attr-defined]
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--packets", type=int, default=50)
    args = parser.parse_args()
    app = QApplication.instance() or QApplication([])
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'bench.db'}"
        os.environ["ISOTRACK_PASSWORD"] = os.environ["ISOTRACK_NEW_PASSWORD"] = PASSWORD
        cli(["--db", url, "user", "add", "admin", "--role", "admin", "--clinic-name", "Demo"])
        cli(["--db", url, "demo-data", "--patients", str(args.packets), "--user", "admin"])
        ctx = sign_in(open_clinic(url), "admin", PASSWORD)
        patients = [
            TodaysPatient(p.id, p.legal_name, p.mrn)
            for p in search_patients(ctx, limit=args.packets)
        ]
        out = Path(folder) / "printed.pdf"

        def printer(_parent: object) -> QPrinter:
            made = QPrinter(QPrinter.PrinterMode.HighResolution)
            made.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
            made.setOutputFileName(str(out))
            return made

        dialog = PrintBatchDialog(ctx, BatchKind.CONSENT_PACKETS, patients, choose_printer=printer)
        dialog.show()
        for phase in ("build", "print"):
            gaps = Gaps()
            started = time.perf_counter()
            gaps.start()
            if phase == "build":
                dialog.start()
                _wait_for(dialog.batch_finished)
            else:
                dialog.print_all()
                _wait_for(dialog.printing_finished)
            gaps.timer.stop()
            took = time.perf_counter() - started
            worst = max(gaps.gaps_ms)
            print(
                f"{phase}: {len(patients)} packets in {took:.1f} s; GUI thread gaps: "
                f"median {statistics.median(gaps.gaps_ms):.1f} ms, "
                f"95th {sorted(gaps.gaps_ms)[int(len(gaps.gaps_ms) * 0.95)]:.1f} ms, "
                f"worst {worst:.1f} ms"
            )
        print(f"pages printed: {sum(d.pages for d in dialog.documents)}")
    tasks.finish_background_work()  # the print audit is written off the GUI thread
    del app


if __name__ == "__main__":
    main()
