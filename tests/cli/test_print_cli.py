"""`isotrack print consent-packet` and `isotrack print visit-summary`."""

from pathlib import Path

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from db.models import AuditEntry
from desktop.cli import main
from desktop.services.context import Context, open_clinic
from desktop.services.course_dosing import start_course
from desktop.services.patients import register_patient
from desktop.services.visits import record_visit
from tests.conftest import PASSWORD, patient_draft
from tests.documents.pdf_reading import squash
from tests.printing_setup import visit_draft
from tests.services.test_courses import course_draft
from tests.services.test_printing import visited  # noqa: F401  (fixture)

ADMIN = ["--user", "admin"]


@pytest.fixture
def clinic_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path / 'clinic.db'}"
    monkeypatch.setenv("ISOTRACK_DATABASE_URL", url)
    monkeypatch.setenv("ISOTRACK_PASSWORD", PASSWORD)
    monkeypatch.setenv("ISOTRACK_NEW_PASSWORD", PASSWORD)
    assert main(["user", "add", "admin", "--role", "admin", "--clinic-name", "Demo Clinic"]) == 0
    assert main(["user", "add", "drpark", "--role", "prescriber", *ADMIN]) == 0
    return url


def _add_patient(mrn: str, birth_date: str, can_get_pregnant: bool) -> None:
    guardian = ["--guardian", "Pat Guardian", "--guardian-relationship", "Parent"]
    args = [
        "patient",
        "add",
        "--mrn",
        mrn,
        "--name",
        "Élodie Ñúñez",
        "--birth-date",
        birth_date,
        "--sex-at-birth",
        "female",
        "--can-get-pregnant",
        "yes" if can_get_pregnant else "no",
        *guardian,
        *ADMIN,
    ]
    assert main(args) == 0


def test_consent_packet_is_written_and_not_overwritten(
    clinic_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_patient("P-1", "1990-01-01", can_get_pregnant=False)
    capsys.readouterr()
    out = tmp_path / "packet.pdf"
    args = ["print", "consent-packet", "--mrn", "P-1", "--out", str(out), *ADMIN]
    assert main(args) == 0
    pages = len(PdfReader(out).pages)
    assert capsys.readouterr().out.strip() == f"Wrote {pages} pages to {out}"
    assert out.read_bytes().startswith(b"%PDF")
    before = out.read_bytes()
    assert main(args) == 2
    assert "--overwrite" in capsys.readouterr().err
    assert out.read_bytes() == before
    assert main([*args, "--overwrite"]) == 0
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")] == []


def test_visit_summary_needs_a_course(
    clinic_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _add_patient("P-2", "1990-01-01", can_get_pregnant=True)
    capsys.readouterr()
    out = tmp_path / "summary.pdf"
    assert main(["print", "visit-summary", "--mrn", "P-2", "--out", str(out), *ADMIN]) == 2
    assert "no course yet" in capsys.readouterr().err
    assert not out.exists()


@pytest.mark.usefixtures("visited")
def test_visit_summary_for_the_chart_and_for_a_date(
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("ISOTRACK_DATABASE_URL", database_url)
    monkeypatch.setenv("ISOTRACK_PASSWORD", PASSWORD)
    out = tmp_path / "summary.pdf"
    summary = ["print", "visit-summary", "--mrn", "MRN-1001", "--out", str(out), "--user", "nina"]
    assert main([*summary, "--for", "chart", "--visit", "2026-11-20"]) == 0
    pages = len(PdfReader(out).pages)
    noun = "page" if pages == 1 else "pages"
    assert capsys.readouterr().out == f"Wrote {pages} {noun} to {out}\n"
    metadata = PdfReader(out).metadata
    assert metadata is not None
    assert metadata.title == "Visit record (chart copy)"
    assert main([*summary, "--overwrite", "--visit", "2026-11-19"]) == 3
    assert "no visit on 2026-11-19" in capsys.readouterr().err


def test_an_unknown_mrn_and_a_bad_date_are_explained(
    clinic_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "x.pdf"
    assert main(["print", "consent-packet", "--mrn", "NOPE", "--out", str(out), *ADMIN]) == 3
    assert capsys.readouterr().err == "isotrack: No patient has MRN 'NOPE'.\n"
    bad = ["print", "visit-summary", "--mrn", "NOPE", "--visit", "20-11-2026", "--out", str(out)]
    assert main([*bad, *ADMIN]) != 0
    assert "YYYY-MM-DD" in capsys.readouterr().err


@pytest.mark.usefixtures("prescriber_ctx")  # a prescriber for the course
def test_chart_copy_of_a_visit_with_a_long_note_is_written(
    database_url: str,
    nurse_ctx: Context,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A note of 60 lines and ~6,000 characters once ended in "unexpected error LayoutError"
    (exit 70)."""
    patient = register_patient(nurse_ctx, patient_draft(mrn="LONG-1"))
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    lines = [f"Note line {n}: discussed dry skin, lip care and sun protection." for n in range(60)]
    record_visit(
        nurse_ctx,
        visit_draft(
            course,
            notes="\n".join(lines),
        ),
    )
    monkeypatch.setenv("ISOTRACK_DATABASE_URL", database_url)
    monkeypatch.setenv("ISOTRACK_PASSWORD", PASSWORD)
    out = tmp_path / "chart.pdf"
    args = ["print", "visit-summary", "--mrn", "LONG-1", "--for", "chart", "--out", str(out)]
    assert main([*args, "--user", "nina"]) == 0
    assert capsys.readouterr().err == ""
    whole = squash("".join(page.extract_text() for page in PdfReader(out).pages))
    assert all(squash(line) in whole for line in lines)


def test_writing_the_file_is_audited_as_saved_after_prepared(
    clinic_url: str, tmp_path: Path
) -> None:
    _add_patient("P-7", "1990-01-01", can_get_pregnant=False)
    out = tmp_path / "packet.pdf"
    assert main(["print", "consent-packet", "--mrn", "P-7", "--out", str(out), *ADMIN]) == 0
    clinic = open_clinic(clinic_url)
    try:
        with clinic.sessions.read() as session:
            actions = session.scalars(
                select(AuditEntry.action)
                .where(AuditEntry.action.startswith("document."))
                .order_by(AuditEntry.seq)
            ).all()
    finally:
        clinic.close()
    assert actions == ["document.prepare", "document.saved"]
