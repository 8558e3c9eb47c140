"""Benchmark: a nurse's day on a large clinic database (not run by pytest).

    .venv/bin/python tests/bench/bench_clinic_day.py [--patients 10000] [--runs 15]

Builds (or reuses) a demo clinic in /tmp, then reports medians of: sign-in, the worklist
shown after sign-in (stored entries → rows), opening a chart (patient, history, courses,
course overview), a patient search, and a worklist refresh of one course.
"""

import argparse
import os
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from desktop.cli import main as cli
from desktop.services.context import Context, open_clinic
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_overview import get_course_overview
from desktop.services.patients import get_patient, patient_history, search_patients
from desktop.services.staff import sign_in
from desktop.services.worklist import load_worklist

PASSWORD = "bench password 1"


def _prepare(path: Path, patients: int) -> str:
    url = f"sqlite:///{path}"
    if path.exists():
        return url
    os.environ["ISOTRACK_PASSWORD"] = os.environ["ISOTRACK_NEW_PASSWORD"] = PASSWORD
    started = time.perf_counter()
    cli(["--db", url, "user", "add", "admin", "--role", "admin", "--clinic-name", "Bench"])
    cli(["--db", url, "demo-data", "--patients", str(patients), "--seed", "1", "--user", "admin"])
    print(f"demo-data --patients {patients}: {time.perf_counter() - started:.1f} s")
    return url


def _median_ms(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times)


def _open_chart(ctx: Context, patient_id: int) -> None:
    get_patient(ctx, patient_id)
    patient_history(ctx, patient_id)
    courses = list_courses(ctx, patient_id)
    if courses:
        get_course_overview(ctx, courses[0].id)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--patients", type=int, default=10_000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    url = _prepare(Path(f"/tmp/isotrack-bench-{args.patients}.db"), args.patients)
    clinic = open_clinic(url)
    ctx = sign_in(clinic, "admin", PASSWORD)
    view = load_worklist(ctx)
    patient_id = view.rows[0].patient_id
    figures = {
        "sign in (argon2id)": _median_ms(lambda: sign_in(clinic, "admin", PASSWORD), args.runs),
        f"worklist after sign-in ({len(view.rows)} rows)": _median_ms(
            lambda: load_worklist(ctx), args.runs
        ),
        "open a chart (patient, history, courses, overview)": _median_ms(
            lambda: _open_chart(ctx, patient_id), args.runs
        ),
        "search 'zoe'": _median_ms(lambda: search_patients(ctx, "zoe"), args.runs),
    }
    for name, ms in figures.items():
        print(f"{name:55} median {ms:8.1f} ms over {args.runs} runs")


if __name__ == "__main__":
    main()
