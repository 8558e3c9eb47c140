"""Crash safety: a workstation process killed with SIGKILL at random moments loses no save it
acknowledged, leaves SQLite intact, and never leaves a clinical row without its audit row.
The workstation registers and edits patients, starts courses, records visits (with their
weight) and lab draws through the real services (tests/services/crash_worker.py).

SIGKILL stops the process, not the machine: this proves that every acknowledged save was
committed with its audit row as one transaction and that recovery from a half-finished one is
clean. Surviving power loss is synchronous=FULL's job (tests/db/test_engine.py asserts it).
"""

import json
import random
import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from desktop.cli import main
from desktop.services.context import Context
from tests.conftest import PASSWORD
from tests.services.crash_worker import (
    Workstation,
    assert_audited,
    assert_clinical_rows_audited,
    patient_audit_rows,
    patients_of,
    rows_of,
)

TRIALS = 200
SEED = 20261120
MAX_SAVES_BEFORE_KILL = 8
MAX_KILL_DELAY_S = 0.04
"""After the chosen number of acknowledgements, the kill lands within this many seconds: one
save takes about that long here, so kills fall before, inside and just after commits."""

pytestmark = [pytest.mark.sqlite_only, pytest.mark.slow]


@dataclass
class Ledger:
    """Every save a worker acknowledged, across all trials."""

    created: dict[int, str] = field(default_factory=dict)
    edited: list[tuple[int, int, str]] = field(default_factory=list)
    courses: set[int] = field(default_factory=set)
    visits: set[int] = field(default_factory=set)
    labs: set[int] = field(default_factory=set)

    def add(self, lines: list[str]) -> None:
        for line in lines:
            kind, *values = line.split(" ")
            if kind == "C":
                self.created[int(values[0])] = values[1]
            elif kind == "U":
                self.edited.append((int(values[0]), int(values[1]), values[2]))
            else:
                {"S": self.courses, "V": self.visits, "L": self.labs}[kind].add(int(values[0]))


def _assert_nothing_lost(path: Path, ledger: Ledger) -> None:
    assert_audited(path)
    assert_clinical_rows_audited(path)
    assert ledger.courses <= rows_of(path, "courses")
    assert ledger.visits <= rows_of(path, "visits")
    assert ledger.labs <= rows_of(path, "lab_results")
    patients = patients_of(path)
    for pid, mrn in ledger.created.items():
        assert patients.get(pid, ("", 0))[0] == mrn
    edits = {
        (pid, json.loads(new).get("phone"))
        for action, pid, new in patient_audit_rows(path)
        if action == "patient.update"
    }
    for pid, version, phone in ledger.edited:
        assert patients[pid][1] >= version
        assert (pid, phone) in edits


def _run_trial(url: str, trial: int, rng: random.Random) -> list[str]:
    worker = Workstation(url, "nina", PASSWORD, tag=f"T{trial}", seed=trial)
    try:
        saves = rng.randrange(MAX_SAVES_BEFORE_KILL + 1)
        if saves == 0:
            time.sleep(rng.uniform(0, 0.3))  # during start-up, sign-in or the first save
        else:
            worker.wait_for_saves(saves)
            time.sleep(rng.uniform(0, MAX_KILL_DELAY_S))
    finally:
        worker.kill()
    return worker.lines


def test_killed_workstations_lose_no_acknowledged_save(
    database_url: str,
    nurse_ctx: Context,
    prescriber_ctx: Context,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = Path(database_url.removeprefix("sqlite:///"))
    rng = random.Random(SEED)
    ledger = Ledger()
    started = time.monotonic()
    for trial in range(TRIALS):
        ledger.add(_run_trial(database_url, trial, rng))
        _assert_nothing_lost(path, ledger)
        assert main(["--db", database_url, "audit", "verify"]) == 0, capsys.readouterr().err
    elapsed = time.monotonic() - started
    with capsys.disabled():
        print(  # noqa: T201  (figures for the CI log; no patient data)
            f"\ncrash safety: {TRIALS} SIGKILL trials in {elapsed:.1f} s, "
            f"{len(ledger.created)} registrations, {len(ledger.edited)} edits, "
            f"{len(ledger.courses)} courses, {len(ledger.visits)} visits and {len(ledger.labs)} "
            "lab draws acknowledged, 0 missing, every clinical row audited"
        )
