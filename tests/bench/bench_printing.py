"""Benchmark: printing through the service on a demo clinic (not run by pytest).

    .venv/bin/python tests/bench/bench_printing.py [--builds 25] [--patients 200]

Each build is what the app does on Print…: read the patient, course and visit, build the PDF,
count its pages, record it and audit it. Targets (median): consent packet < 300 ms, visit
summary < 150 ms. The first build of each is a warm-up (fonts registered once per process).
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy import select

from db.models import Course, Patient
from desktop.cli import main as cli
from desktop.rules.counseling_topics import CounselingTopic
from desktop.rules.patients import RiskCategory
from desktop.rules.units import WeightUnit
from desktop.services.context import Context, open_clinic
from desktop.services.course_lifecycle import list_courses
from desktop.services.course_records import CourseStatus
from desktop.services.printing import Audience, print_consent_packet, print_visit_summary
from desktop.services.staff import sign_in
from desktop.services.visits import VisitDraft, record_visit

PASSWORD = "bench password 1"
TARGETS_MS = {"consent packet": 300.0, "visit summary (patient)": 150.0}


def _clinic(folder: Path, patients: int) -> Context:
    url = f"sqlite:///{folder / 'bench.db'}"
    os.environ["ISOTRACK_PASSWORD"] = os.environ["ISOTRACK_NEW_PASSWORD"] = PASSWORD
    assert (
        cli(["--db", url, "user", "add", "admin", "--role", "admin", "--clinic-name", "Demo"]) == 0
    )
    assert cli(["--db", url, "demo-data", "--patients", str(patients), "--user", "admin"]) == 0
    return sign_in(open_clinic(url), "admin", PASSWORD)


def _demo_patient(ctx: Context) -> tuple[int, int]:
    """A demo patient who can get pregnant, with an active course (most forms, most data)."""
    with ctx.sessions.read() as session:
        rows = session.execute(
            select(Patient.id, Course.id)
            .join(Course, Course.patient_id == Patient.id)
            .where(Patient.risk_category == RiskCategory.CAN_GET_PREGNANT.value)
            .where(Course.status == CourseStatus.ACTIVE.value)
            .order_by(Patient.id)
        ).all()
    return rows[0][0], rows[0][1]


def _add_visit(ctx: Context, patient_id: int, course_id: int) -> None:
    course = next(c for c in list_courses(ctx, patient_id) if c.id == course_id)
    record_visit(
        ctx,
        VisitDraft(
            course_id=course.id,
            course_version=course.version,
            seen_on=ctx.today(),
            weight=Decimal(62),
            weight_unit=WeightUnit.KG,
            phq2_items=(0, 0),
            counseling_topics=(CounselingTopic.NO_BLOOD_DONATION, CounselingTopic.CONTRACEPTION),
            notes="Bench visit.",
            next_visit_on=date.fromordinal(ctx.today().toordinal() + 28),
        ),
    )


def median_ms(build: Callable[[], object], builds: int) -> tuple[float, float]:
    build()
    wall, cpu = [], []
    for _ in range(builds):
        started, started_cpu = time.perf_counter(), time.process_time()
        build()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return statistics.median(wall), statistics.median(cpu)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--builds", type=int, default=25)
    parser.add_argument("--patients", type=int, default=200)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        ctx = _clinic(Path(folder), args.patients)
        patient_id, course_id = _demo_patient(ctx)
        _add_visit(ctx, patient_id, course_id)
        cases: dict[str, Callable[[], object]] = {
            "consent packet": lambda: print_consent_packet(ctx, patient_id),
            "visit summary (patient)": lambda: print_visit_summary(
                ctx, patient_id, audience=Audience.PATIENT
            ),
            "visit summary (chart)": lambda: print_visit_summary(
                ctx, patient_id, audience=Audience.CHART
            ),
        }
        failed = False
        print(f"median of {args.builds} builds through the service, {args.patients} demo patients")
        for name, build in cases.items():
            wall, cpu = median_ms(build, args.builds)
            target = TARGETS_MS.get(name, TARGETS_MS["visit summary (patient)"])
            verdict = "ok" if wall < target else "SLOW"
            failed |= wall >= target
            print(
                f"{name:26} {wall:7.1f} ms (cpu {cpu:6.1f} ms)  target < {target:.0f} ms  {verdict}"
            )
        ctx.clinic.close()
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
