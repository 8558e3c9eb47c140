"""The suite-wide PHI canary (tests/phi_canary.py) fails a test whose output or logs carry the
shared patient's name, and a session that leaves it in a file other than a database or a PDF."""

import shutil
from pathlib import Path

import pytest

from tests.phi_canary import SHARED_PATIENT_SURNAME, SYSTEM_TEMP, carries_canary

ROOT = Path(__file__).resolve().parent.parent

# The inner tests build the name from parts, so their source is never the leak itself.
INNER_TESTS = """
import logging
import sys

NAME = "O'Brien" + "-N\\u00fa\\u00f1ez"

def test_prints_the_name():
    print("registered", NAME)

def test_writes_the_name_to_stderr_upper_cased():
    sys.stderr.write(NAME.upper())

def test_logs_the_name():
    logging.getLogger("isotrack").warning("saved %s", NAME)

def test_prints_the_search_text_folded():
    print("zoe o'brien-" + "nunez")

def test_prints_no_patient_data():
    print("registered patient 17")
    logging.getLogger("isotrack").warning("saved patient 17")

def test_reads_its_own_output(capsys):
    print(NAME)
    assert NAME in capsys.readouterr().out
"""


def _run_inner(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, *args: str
) -> pytest.RunResult:
    """A separate process: in this one, the inner tests' log records would also reach this
    test's own log capture, and the canary would (rightly) fail it."""
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    return pytester.runpytest_subprocess("-p", "tests.phi_canary", "--show-capture=no", *args)


def test_a_test_that_prints_or_logs_the_name_is_failed(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_inner=INNER_TESTS)
    result = _run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=2, failed=4)
    result.stdout.fnmatch_lines(
        [
            "*_ test_prints_the_name _*",
            "PHI canary: a test patient's name reached Captured stdout call.*",
            "*_ test_writes_the_name_to_stderr_upper_cased _*",
            "PHI canary: a test patient's name reached Captured stderr call.*",
            "*_ test_logs_the_name _*",
            "PHI canary: a test patient's name reached Captured log call.*",
            "*_ test_prints_the_search_text_folded _*",
            "PHI canary: a test patient's name reached Captured stdout call.*",
        ]
    )
    assert not carries_canary(result.stdout.str())  # the failure report never quotes it


QUIET_LOGGERS = """
import logging

NAME = "O'Brien" + "-N\\u00fa\\u00f1ez"

def test_logs_the_name_at_info():
    logging.getLogger("isotrack.services").info("registered %s", NAME)

def test_logs_the_name_at_debug():
    logging.getLogger("some.library").debug("row: %s", NAME)

def test_logs_no_patient_data_at_debug():
    logging.getLogger("some.library").debug("row: patient 17")
"""


def test_a_name_logged_at_info_or_debug_fails_the_test(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_quiet=QUIET_LOGGERS)
    result = _run_inner(pytester, monkeypatch)
    result.assert_outcomes(passed=1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*_ test_logs_the_name_at_info _*",
            "PHI canary: a test patient's name reached Captured log call.*",
            "*_ test_logs_the_name_at_debug _*",
            "PHI canary: a test patient's name reached Captured log call.*",
        ]
    )


TEMP_WRITERS = """
import os
import subprocess
import sys
import tempfile

NAME = "O'Brien" + "-N\\u00fa\\u00f1ez"

def test_leaves_a_temporary_file():
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as handle:
        handle.write("export of " + NAME)

def test_a_child_process_leaves_one_in_tmpdir():
    script = "import os, sys; open(os.path.join(os.environ['TMPDIR'], 'child.csv'), 'w')" \\
        ".write(sys.argv[1])"
    subprocess.run([sys.executable, "-c", script, NAME], check=True)
"""


def test_a_session_that_leaves_the_name_in_the_system_temp_folder_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Files made with tempfile, or by a child process in $TMPDIR, are in the session's own
    system temporary folder, which is searched at the end like the base temporary folder."""
    pytester.makepyfile(test_temp=TEMP_WRITERS)
    inner_temp = pytester.path / "inner-temp"
    result = _run_inner(pytester, monkeypatch, f"--basetemp={inner_temp}")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*PHI canary*neither a database nor a PDF: *"])
    report = result.stdout.str()
    assert f"{inner_temp / SYSTEM_TEMP}/tmp" in report
    assert str(inner_temp / SYSTEM_TEMP / "child.csv") in report
    shutil.rmtree(inner_temp)


FILE_WRITERS = """
NAME = "O'Brien" + "-N\\u00fa\\u00f1ez"

def test_writes_a_log_file(tmp_path):
    (tmp_path / "support.log").write_text("patient " + NAME, encoding="utf-8")

def test_keeps_a_database_and_a_pdf(tmp_path):
    (tmp_path / "clinic.db").write_bytes(b"SQLite format 3\\x00" + NAME.encode())
    (tmp_path / "clinic.db-wal").write_bytes(NAME.encode())
    (tmp_path / "packet.pdf").write_bytes(b"%PDF-1.4 " + NAME.encode())
"""


def test_a_session_that_leaves_the_name_in_a_log_file_fails(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    pytester.makepyfile(test_files=FILE_WRITERS)
    inner_temp = pytester.path / "inner-temp"
    result = _run_inner(pytester, monkeypatch, f"--basetemp={inner_temp}")
    result.assert_outcomes(passed=2, errors=1)
    result.stdout.fnmatch_lines(["*PHI canary*neither a database nor a PDF: *support.log *"])
    assert "clinic.db" not in result.stdout.str()
    assert "packet.pdf" not in result.stdout.str()
    # Those files are now this session's own temporary files: remove them before its check.
    shutil.rmtree(inner_temp)


@pytest.mark.parametrize(
    "text",
    [
        SHARED_PATIENT_SURNAME,
        "ZOË O'BRIEN-NÚÑEZ",
        "zoe o'brien-nunez",
        '{"name": "Zo\\u00eb O\'Brien-N\\u00fa\\u00f1ez"}',
        "Canary Zqxjv Patient",
    ],
)
def test_the_canary_is_found_however_it_is_spelt(text: str) -> None:
    assert carries_canary(text)


@pytest.mark.parametrize("text", ["O'Brien", "Nina Núñez", "Brien-Nunes", "patient 17"])
def test_other_names_are_not_the_canary(text: str) -> None:
    assert not carries_canary(text)
