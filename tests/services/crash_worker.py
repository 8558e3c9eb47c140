"""A workstation in a child process: registers and edits patients through the real services and
reports each save on a pipe only after it was committed, until it is killed.

Run from multiprocessing's fork server with this module preloaded, so that each trial is a
fresh process without paying for the imports again. Lines written (each under PIPE_BUF, so
a kill never leaves half a line): `C <patient id> <mrn>` for a registration and
`U <patient id> <version> <phone>` for an edit.
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
from datetime import date
from multiprocessing.connection import Connection
from pathlib import Path

from sqlalchemy.orm import configure_mappers

from db.engine import Sessions, create_clinic_engine
from desktop.rules.patients import PatientDraft, RiskCategory, SexAtBirth
from desktop.services.context import Clinic, SystemClock
from desktop.services.patients import register_patient, update_patient
from desktop.services.records import PatientRecord
from desktop.services.staff import sign_in

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


def work(url: str, username: str, password: str, out: Connection, tag: str, seed: int) -> None:
    """Save forever (until killed): half registrations, half edits of patients saved here."""
    fd = out.fileno()
    rng = random.Random(seed)
    # The clinic is opened as open_clinic would once the schema is current, minus the Alembic
    # revision scan: that is start-up cost, not part of a save, and each trial pays it.
    clinic = Clinic(Sessions(create_clinic_engine(url)), SystemClock(), f"worker-{tag}")
    ctx = sign_in(clinic, username, password)
    saved: list[PatientRecord] = []
    number = 0
    while True:
        number += 1
        if saved and rng.random() < 0.5:
            index = rng.randrange(len(saved))
            phone = f"555{number:07d}"
            record = update_patient(
                ctx, saved[index].id, saved[index].version, edited_draft(saved[index], phone)
            )
            saved[index] = record
            os.write(fd, f"U {record.id} {record.version} {phone}\n".encode())
        else:
            record = register_patient(ctx, new_draft(tag, number))
            saved.append(record)
            os.write(fd, f"C {record.id} {record.mrn}\n".encode())


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
