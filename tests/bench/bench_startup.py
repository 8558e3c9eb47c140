"""Benchmark: launch to a painted patient list, and sign-in to a shown worklist, on a large
demo clinic (not run by pytest). Each trial is a fresh process.

    .venv/bin/python tests/bench/bench_startup.py [--patients 10000] [--runs 5] [--db PATH]

The clinic is the one tests/bench/bench_clinic_day.py builds (/tmp/isotrack-bench-N.db), or
the file given with --db; it must be at the schema head.
Sign-in is done through the service (typing in the dialog is not timed) and reported apart,
since argon2id's cost is deliberate.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import time

TRIAL = r"""
import time, json, sys
started = time.perf_counter()
from PySide6.QtCore import QCoreApplication
from desktop.services.context import open_clinic
from desktop.services.staff import sign_in
from desktop.ui.app import application
from desktop.ui.main_window import MainWindow
app = application()
clinic = open_clinic(sys.argv[1])
before_sign_in = time.perf_counter()
ctx = sign_in(clinic, "admin", sys.argv[2])
signed_in = time.perf_counter()
window = MainWindow(ctx)
window.show()
def wait_for(predicate):
    while not predicate():
        QCoreApplication.processEvents()
        time.sleep(0.001)
wait_for(lambda: window.worklist_view.model.rowCount() > 0)
window.grab()
worklist_shown = time.perf_counter()
window.go_to("Patients")
wait_for(lambda: window.patients_view.model.rowCount() > 0)
window.grab()
patients_painted = time.perf_counter()
print(json.dumps({
    "launch_to_patient_list_ms": (patients_painted - started - (signed_in - before_sign_in)) * 1000,
    "sign_in_ms": (signed_in - before_sign_in) * 1000,
    "sign_in_to_worklist_ms": (worklist_shown - signed_in) * 1000,
}))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", help="the clinic file (default /tmp/isotrack-bench-N.db)")
    args = parser.parse_args()
    url = f"sqlite:///{args.db or f'/tmp/isotrack-bench-{args.patients}.db'}"
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    results = []
    for _ in range(args.runs):
        started = time.perf_counter()
        out = subprocess.run(
            [sys.executable, "-c", TRIAL, url, "bench password 1"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        figures = json.loads(out.strip().splitlines()[-1])
        figures["process_wall_ms"] = (time.perf_counter() - started) * 1000
        results.append(figures)
    for key in results[0]:
        values = [r[key] for r in results]
        median, worst = statistics.median(values), max(values)
        print(f"{key:28} median {median:8.1f} ms  worst {worst:8.1f} ms (runs: {len(values)})")
    print(f"load average {os.getloadavg()[0]:.2f} (1 min) after the run")


if __name__ == "__main__":
    main()
