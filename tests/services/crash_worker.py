"""A workstation in a child process: registers and edits patients, starts courses, records
visits and lab draws through the real services, and reports each save on a pipe only after it
was committed, until it is killed.

Run from multiprocessing's fork server with this module preloaded, so that each trial is a
fresh process without paying for the imports again. Lines written (each under PIPE_BUF, so
a kill never leaves half a line): `C <patient id> <mrn>` for a registration,
`U <patient id> <version> <phone>` for an edit, `S <course id> <patient id>` for a course
started, `V <visit id> <course id>` for a visit and `L <lab id> <course id>` for a lab draw.
"""

import importlib
import multiprocessing
import os
import pkgutil
import random
import signal
import sqlite3
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from multiprocessing.connection import Connection
from pathlib import Path

from sqlalchemy.orm import configure_mappers

from db.engine import Sessions, create_clinic_engine
from desktop.rules.labs import LabPanel
from desktop.rules.patients import PatientDraft, RiskCategory, SexAtBirth
from desktop.rules.units import WeightUnit
from desktop.services.context import Clinic, Context, SystemClock
from desktop.services.course_dosing import start_course
from desktop.services.course_lifecycle import list_courses, list_prescribers
from desktop.services.course_records import CourseDraft
from desktop.services.labs import LabEntryDraft, record_lab
from desktop.services.patients import register_patient, update_patient
from desktop.services.records import PatientRecord
from desktop.services.staff import sign_in
from desktop.services.visits import VisitDraft, record_visit

SYNTHETIC_BIRTH_DATE = date(2000, 1, 1)


def new_draft(tag: str, number: int) -> PatientDraft:
    return PatientDraft(
        mrn=f"{tag}-{number}",
        legal_name=f"Synthetic Patient {tag} {number}",
        birth_date=SYNTHETIC_BIRTH_DATE,
        sex_at_birth=SexAtBirth.MALE,
        risk_category=RiskCategory.CANNOT_GET_PREGNANT,
    )


def edited_draft(record: PatientRecord, phone: str) -> PatientDraft:
    return PatientDraft(
        mrn=record.mrn,
        legal_name=record.legal_name,
        birth_date=record.birth_date,
        sex_at_birth=record.sex_at_birth,
        risk_category=record.risk_category,
        phone=phone,
    )


@dataclass
class _Saved:
    """What this workstation saved: patients (latest record) and their courses."""

    patients: list[PatientRecord]
    courses: dict[int, int]
    """Course id → patient id."""
    visits: dict[int, int]
    """Course id → visits recorded on it here (each on its own day)."""


def _course_draft(ctx: Context, patient_id: int, prescriber_id: int) -> CourseDraft:
    return CourseDraft(
        patient_id=patient_id,
        product="generic",
        start_on=ctx.today() - timedelta(days=40),
        prescriber_id=prescriber_id,
        target_mg_per_kg=Decimal(120),
        lab_protocol="clinic-monthly",
        starting_weight=Decimal(70),
        starting_weight_unit=WeightUnit.KG,
        starting_mg_per_kg_day=Decimal("0.5"),
    )


def _save_one(
    ctx: Context,
    rng: random.Random,
    saved: _Saved,
    tag: str,
    number: int,
    prescriber_id: int | None,
) -> str:
    """One save through the services, chosen among what this workstation's records allow;
    returns the line that acknowledges it."""
    without_course = [p for p in saved.patients if p.id not in saved.courses.values()]
    roll = rng.random()
    if saved.courses and roll < 0.4:
        course_id = rng.choice(sorted(saved.courses))
        if roll < 0.2:
            day = ctx.today() - timedelta(days=saved.visits.get(course_id, 0))
            version = next(
                c.version for c in list_courses(ctx, saved.courses[course_id]) if c.id == course_id
            )
            draft = VisitDraft(course_id, version, day, Decimal("70.5"), WeightUnit.KG, (0, 0))
            visit = record_visit(ctx, draft)
            saved.visits[course_id] = saved.visits.get(course_id, 0) + 1
            return f"V {visit.id} {course_id}"
        day = ctx.today()
        lab = record_lab(ctx, LabEntryDraft(course_id, LabPanel.LFT, day, day))
        return f"L {lab.id} {course_id}"
    if without_course and prescriber_id is not None and roll < 0.6:
        patient = rng.choice(without_course)
        course = start_course(ctx, _course_draft(ctx, patient.id, prescriber_id))
        saved.courses[course.id] = patient.id
        return f"S {course.id} {patient.id}"
    if saved.patients and roll < 0.8:
        index = rng.randrange(len(saved.patients))
        phone = f"555{number:07d}"
        current = saved.patients[index]
        record = update_patient(ctx, current.id, current.version, edited_draft(current, phone))
        saved.patients[index] = record
        return f"U {record.id} {record.version} {phone}"
    record = register_patient(ctx, new_draft(tag, number))
    saved.patients.append(record)
    return f"C {record.id} {record.mrn}"


def work(url: str, username: str, password: str, out: Connection, tag: str, seed: int) -> None:
    """Save forever (until killed): registrations, edits, course starts, visits, lab draws."""
    fd = out.fileno()
    rng = random.Random(seed)
    # The clinic is opened as open_clinic would once the schema is current, minus the Alembic
    # revision scan: that is start-up cost, not part of a save, and each trial pays it.
    clinic = Clinic(Sessions(create_clinic_engine(url)), SystemClock(), f"worker-{tag}")
    ctx = sign_in(clinic, username, password)
    prescribers = list_prescribers(ctx)
    prescriber_id = prescribers[0].id if prescribers else None  # None: no course starts
    saved = _Saved([], {}, {})
    number = 0
    while True:
        number += 1
        line = _save_one(ctx, rng, saved, tag, number, prescriber_id)
        os.write(fd, f"{line}\n".encode())


def _warm_up() -> None:
    """Pay once, in the fork server, for what every child would otherwise redo: importing the
    service modules that the unit of work imports lazily, and configuring the mappers."""
    import desktop.services

    for module in pkgutil.iter_modules(desktop.services.__path__, "desktop.services."):
        importlib.import_module(module.name)
    configure_mappers()


_warm_up()
_PROCESSES = multiprocessing.get_context("forkserver")
# "__main__" too: otherwise every child re-imports the main script (pytest) before it starts.
_PROCESSES.set_forkserver_preload(["__main__", __name__])


class Workstation:
    """A `work` child process and the saves it acknowledged. Each one is a new process."""

    def __init__(self, url: str, username: str, password: str, tag: str, seed: int) -> None:
        self._reader, writer = _PROCESSES.Pipe(duplex=False)
        self.process = _PROCESSES.Process(
            target=work, args=(url, username, password, writer, tag, seed), daemon=True
        )
        self.process.start()
        writer.close()
        self._pending = b""
        self.lines: list[str] = []

    def created_ids(self) -> list[int]:
        return [int(line.split(" ")[1]) for line in self.lines if line.startswith("C ")]

    def read_saves(self) -> int:
        """Collect what the child acknowledged so far, without waiting; the count in all."""
        self._read_available()
        return len(self.lines)

    def wait_for_saves(self, count: int, timeout: float = 30.0) -> None:
        """Block until the child has acknowledged `count` saves in all."""
        deadline = time.monotonic() + timeout
        while len(self.lines) < count:
            remaining = deadline - time.monotonic()
            if remaining <= 0 or not self.process.is_alive():
                raise AssertionError(f"the worker acknowledged only {len(self.lines)} saves")
            if self._reader.poll(min(remaining, 0.5)):
                self._read_available()

    def kill(self) -> None:
        """SIGKILL: no cleanup, no rollback, no flush in the child; then collect its lines."""
        self.process.kill()
        self.process.join()
        self._read_available()
        self._reader.close()
        if self.process.exitcode != -signal.SIGKILL:
            raise AssertionError(f"the worker ended by itself (exit code {self.process.exitcode})")

    def _read_available(self) -> None:
        fd = self._reader.fileno()
        os.set_blocking(fd, False)
        while True:
            try:
                chunk = os.read(fd, 65536)
            except BlockingIOError:
                break
            if not chunk:
                break
            self._pending += chunk
        *complete, self._pending = self._pending.split(b"\n")
        self.lines.extend(line.decode() for line in complete)


def patients_of(path: Path) -> dict[int, tuple[str, int]]:
    """Patient id → (MRN, version), read with plain sqlite3 after an integrity check."""
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = connection.execute("SELECT id, mrn, version FROM patients").fetchall()
    finally:
        connection.close()
    return {pid: (mrn, version) for pid, mrn, version in rows}


def rows_of(path: Path, table: str) -> set[int]:
    connection = sqlite3.connect(path)
    try:
        return {row_id for (row_id,) in connection.execute(f"SELECT id FROM {table}")}
    finally:
        connection.close()


def audited_ids(path: Path, action: str) -> Counter[int]:
    """How many entries of `action` name each entity id."""
    connection = sqlite3.connect(path)
    try:
        rows = connection.execute(
            "SELECT entity_id FROM audit_entries WHERE action = ?", (action,)
        ).fetchall()
    finally:
        connection.close()
    return Counter(entity_id for (entity_id,) in rows)


CLINICAL_ROWS = {"courses": "course.start", "visits": "visit.create", "lab_results": "lab.record"}
"""Each clinical table the worker writes, and the action that creates its rows."""


def assert_clinical_rows_audited(path: Path) -> None:
    """Every course, visit and lab row has exactly one creating audit entry, and no such
    entry names a row that is not there (a save rolled back with its entry)."""
    for table, action in CLINICAL_ROWS.items():
        rows, entries = rows_of(path, table), audited_ids(path, action)
        assert set(entries) == rows, f"{table}: rows and {action} entries differ"
        assert set(entries.values()) <= {1}, f"{table}: a row has two {action} entries"


def patient_audit_rows(path: Path) -> list[tuple[str, int, str]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(
            "SELECT action, entity_id, new_values FROM audit_entries WHERE entity = 'patient'"
        ).fetchall()
    finally:
        connection.close()


def assert_audited(path: Path) -> None:
    """No clinical row without its audit rows, and no audit row for a save that is absent:
    one `patient.create` per patient, and one `patient.update` per version after the first."""
    patients, audits = patients_of(path), patient_audit_rows(path)
    creates = Counter(pid for action, pid, _ in audits if action == "patient.create")
    updates = Counter(pid for action, pid, _ in audits if action == "patient.update")
    assert set(creates) == set(patients)
    assert set(creates.values()) <= {1}
    assert set(updates) <= set(patients)
    assert all(updates[pid] == version - 1 for pid, (_, version) in patients.items())
