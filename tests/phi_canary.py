"""The PHI canary, suite-wide: the shared test patient's name must never reach what a test
prints, logs or leaves in temporary files outside the patient's own record.

Registered by tests/conftest.py (`pytest_plugins`), so it watches every test:

- Captured output. After each phase of each test, the captured stdout, stderr and log
  sections are searched; a phase that carries the canary fails, naming the section but
  never quoting it. Logs are captured from DEBUG up (unless --log-level or the log_level
  setting asks otherwise), so a name logged at INFO or DEBUG fails too. Output a test reads
  itself (capsys, caplog) is not in these sections: the CLI printing a patient's own record
  on purpose is asserted by that test.
- Temporary files. The session's system temporary folder (TMPDIR and Python's tempfile, for
  this process and every process it starts: Qt, the CLI, crash-test workers) is a folder of
  its own inside the session's base temporary folder, so every file the code under test
  writes there is seen, and nothing another program writes to /tmp meanwhile can be mistaken
  for it. At the end of the session every file under the base temporary folder is searched,
  except those whose job is to hold patient data: SQLite databases (backups and restores are
  databases too) with their -wal, -shm and -journal companions, and PDFs (printed paperwork
  carries the name on every page). Anything else (logs, text, JSON or CSV written for
  support, crash dumps, temporary files left behind) fails the run, naming the files.

The canaries: "O'Brien-Núñez", the surname of `tests.conftest.patient_draft`'s legal name,
which most tests register, and "Zqxjv", the dedicated name of tests/test_phi_hygiene.py. They
are compared accent- and case-folded (so search text and upper-cased copies count), and in
JSON's ASCII escapes.
"""

import json
import os
import tempfile
import unicodedata
from collections.abc import Generator, Iterator
from pathlib import Path

import pytest

SHARED_PATIENT_SURNAME = "O'Brien-Núñez"
DEDICATED_CANARY = "Zqxjv"
DATABASE_MAGIC = b"SQLite format 3\x00"
PDF_MAGIC = b"%PDF-"
DATABASE_COMPANIONS = ("-wal", "-shm", "-journal")
SYSTEM_TEMP = "system-temp"
"""The session's system temporary folder, inside its base temporary folder."""


def fold(text: str) -> str:
    """Case- and accent-folded: "Zoë O'BRIEN-NÚÑEZ" → "zoe o'brien-nunez"."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


_FOLDED = tuple(fold(name) for name in (SHARED_PATIENT_SURNAME, DEDICATED_CANARY))
_JSON_ESCAPED = json.dumps(SHARED_PATIENT_SURNAME)[1:-1].casefold()


def carries_canary(text: str) -> bool:
    folded = fold(text)
    return any(name in folded for name in _FOLDED) or _JSON_ESCAPED in text.casefold()


def _holds_patient_data_on_purpose(path: Path, head: bytes) -> bool:
    return head.startswith((DATABASE_MAGIC, PDF_MAGIC)) or path.name.endswith(DATABASE_COMPANIONS)


def files_carrying_canary(folder: Path) -> Iterator[Path]:
    for path in sorted(folder.rglob("*")):
        if not path.is_file() or path.is_symlink():
            continue
        with path.open("rb") as handle:
            head = handle.read(len(DATABASE_MAGIC))
            if _holds_patient_data_on_purpose(path, head):
                continue
            content = head + handle.read()
        if carries_canary(content.decode("utf-8", errors="replace")):
            yield path


def pytest_configure(config: pytest.Config) -> None:
    """Capture every log record from DEBUG up, so logging a name at any level is caught
    (pytest's logging plugin reads this after every other plugin's pytest_configure)."""
    if config.getoption("log_level", None) is None and config.getini("log_level") is None:
        config.option.log_level = "DEBUG"


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(
    item: pytest.Item, call: pytest.CallInfo[None]
) -> Generator[None, pytest.TestReport, pytest.TestReport]:
    report = yield
    leaked = [
        title
        for title, content in report.sections
        if title.endswith(f" {report.when}") and carries_canary(content)
    ]
    if leaked:
        report.outcome = "failed"
        report.longrepr = (
            f"PHI canary: a test patient's name reached {', '.join(leaked)}. Output and logs "
            "must never carry patient data (tests/phi_canary.py)."
        )
    return report


@pytest.fixture(scope="session", autouse=True)
def _no_canary_in_temporary_files(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[None]:
    system_temp = tmp_path_factory.getbasetemp() / SYSTEM_TEMP
    system_temp.mkdir(exist_ok=True)
    saved = os.environ.get("TMPDIR"), tempfile.tempdir
    os.environ["TMPDIR"] = tempfile.tempdir = str(system_temp)
    try:
        yield
    finally:
        if saved[0] is None:
            os.environ.pop("TMPDIR", None)
        else:
            os.environ["TMPDIR"] = saved[0]
        tempfile.tempdir = saved[1]
    leaked = list(files_carrying_canary(tmp_path_factory.getbasetemp()))
    if leaked:
        pytest.fail(
            "PHI canary: a test patient's name was written to files that are neither a "
            f"database nor a PDF: {', '.join(map(str, leaked))} (tests/phi_canary.py)",
            pytrace=False,
        )
