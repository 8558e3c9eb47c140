"""Benchmark: the first build of a chart's iPLEDGE tab on a large demo clinic (not run by
pytest). Each trial is a fresh process, so "first" includes Qt's and SQLAlchemy's one-off
costs, as when a nurse first opens the tab after signing in.

    .venv/bin/python tests/bench/bench_ipledge_panel.py [--patients 10000] [--runs 15]

The clinic is the one tests/bench/bench_clinic_day.py builds (/tmp/isotrack-bench-N.db).
A shown tab widget stands in for the chart: the panel is built, put in a tab the way the
chart does it, and timed until its course overview is shown and painted. The overview is
read on the thread pool, as in the app.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys

TRIAL = r"""
import json, sys, time
from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QLabel, QTabWidget
from desktop.services.context import open_clinic
from desktop.services.staff import sign_in
from desktop.services.worklist import load_worklist
from desktop.ui.app import application
from desktop.ui.ipledge.ipledge_panel import IpledgePanel
app = application()
ctx = sign_in(open_clinic(sys.argv[1]), "admin", sys.argv[2])
course_id = load_worklist(ctx).rows[0].course_id
tabs = QTabWidget()
tabs.addTab(QLabel("Overview"), "Overview")
tabs.resize(1100, 800)
tabs.show()
QCoreApplication.processEvents()
started = time.perf_counter()
panel = IpledgePanel(ctx, course_id)
built = time.perf_counter()
tabs.addTab(panel, "iPLEDGE")
tabs.setCurrentWidget(panel)
while panel.overview is None:
    QCoreApplication.processEvents()
    time.sleep(0.001)
QCoreApplication.processEvents()
tabs.grab()
painted = time.perf_counter()
print(json.dumps({
    "panel_constructor_ms": (built - started) * 1000,
    "first_build_to_painted_ms": (painted - started) * 1000,
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    url = f"sqlite:////tmp/isotrack-bench-{args.patients}.db"
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    results = []
    for _ in range(args.runs):
        out = subprocess.run(
            [sys.executable, "-c", TRIAL, url, "bench password 1"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        results.append(json.loads(out.strip().splitlines()[-1]))
    for key in results[0]:
        values = [r[key] for r in results]
        print(f"{key:28} median {statistics.median(values):8.1f} ms (runs: {len(values)})")


if __name__ == "__main__":
    main()
