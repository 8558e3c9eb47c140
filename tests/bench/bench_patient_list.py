"""Benchmark: the patient list's query on a large demo clinic (not run by pytest).

    .venv/bin/python tests/bench/bench_patient_list.py [--patients 10000] [--runs 15]

The clinic is the one tests/bench/bench_clinic_day.py builds (/tmp/isotrack-bench-N.db;
run that first). For a few typed searches and every sort, reports the median time of
`list_patients`: the first 500 rows sorted over every match, their status from the
courses, and the count of all matches.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

from desktop.services.context import open_clinic
from desktop.services.patients import PatientSort, list_patients
from desktop.services.staff import sign_in

PASSWORD = "bench password 1"
SEARCHES = ("", "zoe", "a", "19")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    path = Path(f"/tmp/isotrack-bench-{args.patients}.db")
    if not path.exists():
        sys.exit(f"{path} is missing: run tests/bench/bench_clinic_day.py first.")
    clinic = open_clinic(f"sqlite:///{path}")
    ctx = sign_in(clinic, "admin", PASSWORD)
    for text in SEARCHES:
        for sort in PatientSort:
            times = []
            for _ in range(args.runs):
                started = time.perf_counter()
                found = list_patients(ctx, text, sort=sort)
                times.append((time.perf_counter() - started) * 1000)
            shown = f"{len(found.rows)} of {found.total}"
            print(
                f"search {text!r:6} by {sort.value:14} {shown:>14} rows"
                f"  median {statistics.median(times):6.1f} ms over {args.runs} runs"
            )
    clinic.close()


if __name__ == "__main__":
    main()
