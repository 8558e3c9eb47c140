"""The print preview: every page shown, Print to an injected PDF printer, Save as…, the
witness line switched on and off, and an audit that says what happened."""

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from db.models import AuditEntry
from desktop.rules.patients import RiskCategory
from desktop.services.context import Context
from desktop.services.course_dosing import start_course
from desktop.services.patients import register_patient
from desktop.services.printing import DocumentKind, PrintedDocument, print_consent_packet
from desktop.services.visits import record_visit
from desktop.ui import tasks
from desktop.ui.printing.print_preview_dialog import (
    PrintPreviewDialog,
    preview_consent_packet,
    preview_visit_summary,
)
from tests.conftest import patient_draft
from tests.documents.pdf_reading import squash
from tests.printing_setup import visit_draft
from tests.services.test_courses import course_draft


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


def document_actions(ctx: Context) -> list[tuple[str, int | None]]:
    """(action, document id) of every document audit entry, oldest first."""
    with ctx.sessions.read() as session:
        rows = session.execute(
            select(AuditEntry.action, AuditEntry.entity_id)
            .where(AuditEntry.action.startswith("document."))
            .order_by(AuditEntry.seq)
        )
        return [(action, entity_id) for action, entity_id in rows]


@pytest.fixture
def packet(nurse_ctx: Context) -> PrintedDocument:
    patient = register_patient(nurse_ctx, patient_draft())
    return print_consent_packet(nurse_ctx, patient.id)


def test_preview_shows_every_page_and_prints_them_all(
    qtbot: QtBot, nurse_ctx: Context, packet: PrintedDocument, tmp_path: Path
) -> None:
    out = tmp_path / "printed.pdf"
    dialog = PrintPreviewDialog(nurse_ctx, packet, choose_printer=lambda _: pdf_printer(out))
    qtbot.addWidget(dialog)
    assert dialog.page_count == packet.pages > 1
    assert dialog.pdf_view.document() is dialog.pdf.document
    assert document_actions(nurse_ctx) == [("document.prepare", packet.document_id)]
    with qtbot.waitSignal(dialog.printing_finished, timeout=30_000) as finished:
        dialog.print_button.click()
        assert dialog.is_printing  # back in the event loop: the window paints meanwhile
        assert not dialog.progress_bar.isHidden()
        assert not dialog.print_button.isEnabled()
    assert finished.args == [packet.pages, True]
    assert len(PdfReader(out).pages) == packet.pages
    assert dialog.status_label.text() == f"Sent {packet.pages} pages to the printer."
    assert document_actions(nurse_ctx) == [
        ("document.prepare", packet.document_id),
        ("document.printed", packet.document_id),
    ]


def test_cancelled_print_dialog_sends_nothing_and_records_no_print(
    qtbot: QtBot, nurse_ctx: Context, packet: PrintedDocument
) -> None:
    dialog = PrintPreviewDialog(nurse_ctx, packet, choose_printer=lambda _: None)
    qtbot.addWidget(dialog)
    assert dialog.print_document() is False
    assert document_actions(nurse_ctx) == [("document.prepare", packet.document_id)]


def test_cancel_printing_withdraws_the_job_and_records_no_print(
    qtbot: QtBot, nurse_ctx: Context, packet: PrintedDocument, tmp_path: Path
) -> None:
    out = tmp_path / "printed.pdf"
    dialog = PrintPreviewDialog(nurse_ctx, packet, choose_printer=lambda _: pdf_printer(out))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.print_button.click()
    assert dialog.cancel_print_button.isVisible()
    with qtbot.waitSignal(dialog.printing_finished, timeout=10_000) as finished:
        dialog.cancel_print_button.click()
    sent, completed = finished.args
    assert completed is False
    assert sent < packet.pages
    assert dialog.status_label.text().startswith("Printing cancelled")
    assert dialog.print_button.isEnabled()
    assert document_actions(nurse_ctx) == [("document.prepare", packet.document_id)]


def test_save_writes_the_bytes_then_records_the_save(
    qtbot: QtBot, nurse_ctx: Context, packet: PrintedDocument, tmp_path: Path
) -> None:
    target = tmp_path / packet.file_name
    asked: list[str] = []

    def choose(_parent: QWidget, suggested: str) -> Path:
        asked.append(suggested)
        return target

    dialog = PrintPreviewDialog(nurse_ctx, packet, choose_save_path=choose)
    qtbot.addWidget(dialog)
    dialog.save_button.click()
    assert asked == [packet.file_name]
    assert target.read_bytes() == packet.pdf
    assert document_actions(nurse_ctx)[-1] == ("document.saved", packet.document_id)


def test_a_save_that_fails_is_not_recorded(
    qtbot: QtBot,
    nurse_ctx: Context,
    packet: PrintedDocument,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    shown: list[Exception] = []
    monkeypatch.setattr("desktop.ui.messages.show_error", lambda _p, error: shown.append(error))
    missing_folder = tmp_path / "gone" / "packet.pdf"
    dialog = PrintPreviewDialog(nurse_ctx, packet, choose_save_path=lambda *_: missing_folder)
    qtbot.addWidget(dialog)
    assert dialog.save_document() is None
    assert shown
    assert document_actions(nurse_ctx) == [("document.prepare", packet.document_id)]


def _text(pdf: bytes, path: Path) -> str:
    path.write_bytes(pdf)
    return squash(" ".join(page.extract_text() for page in PdfReader(path).pages))


def test_the_witness_line_check_box_rebuilds_the_packet(
    qtbot: QtBot, nurse_ctx: Context, tmp_path: Path
) -> None:
    patient = register_patient(
        nurse_ctx, patient_draft(risk_category=RiskCategory.CANNOT_GET_PREGNANT)
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    preview_consent_packet(nurse_ctx, patient.id, parent)
    dialog = parent.findChild(PrintPreviewDialog, "print_preview_dialog")
    assert isinstance(dialog, PrintPreviewDialog)
    assert dialog.witness_check_box.isVisibleTo(dialog)
    assert not dialog.witness_check_box.isChecked()
    without = dialog.printed
    assert "Witness" not in _text(without.pdf, tmp_path / "without.pdf")

    with qtbot.waitSignal(dialog.document_changed, timeout=10_000):
        dialog.witness_check_box.click()
    with_witness = dialog.printed
    assert with_witness.document_id != without.document_id
    assert dialog.page_count == with_witness.pages
    assert dialog.pdf_view.document() is dialog.pdf.document
    assert "Witness" in _text(with_witness.pdf, tmp_path / "with.pdf")
    assert dialog.status_label.text().startswith("Consent packet")

    with qtbot.waitSignal(dialog.document_changed, timeout=10_000):
        dialog.witness_check_box.click()
    assert "Witness" not in _text(dialog.printed.pdf, tmp_path / "again.pdf")
    assert [action for action, _ in document_actions(nurse_ctx)] == ["document.prepare"] * 3


def test_the_witness_line_can_be_the_starting_choice(
    qtbot: QtBot, nurse_ctx: Context, tmp_path: Path
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    parent = QWidget()
    qtbot.addWidget(parent)
    preview_consent_packet(nurse_ctx, patient.id, parent, include_witness=True)
    dialog = parent.findChild(PrintPreviewDialog, "print_preview_dialog")
    assert isinstance(dialog, PrintPreviewDialog)
    assert dialog.witness_check_box.isChecked()
    assert "Witness" in _text(dialog.printed.pdf, tmp_path / "packet.pdf")


@pytest.mark.usefixtures("prescriber_ctx")
def test_preview_visit_summary_builds_then_opens_the_dialog_without_a_witness_choice(
    qtbot: QtBot, nurse_ctx: Context, tmp_path: Path
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    course = start_course(nurse_ctx, course_draft(nurse_ctx, patient.id))
    record_visit(
        nurse_ctx,
        visit_draft(
            course,
            notes="Reviewed lip care.",
        ),
    )
    parent = QWidget()
    qtbot.addWidget(parent)
    preview_visit_summary(nurse_ctx, patient.id, parent)
    dialog = parent.findChild(PrintPreviewDialog, "print_preview_dialog")
    assert isinstance(dialog, PrintPreviewDialog)
    assert dialog.printed.kind is DocumentKind.VISIT_SUMMARY_PATIENT
    assert dialog.page_count == dialog.printed.pages >= 1
    assert not dialog.witness_check_box.isVisibleTo(dialog)
    assert "Yourvisit" in _text(dialog.printed.pdf, tmp_path / "summary.pdf")


def test_preview_consent_packet_builds_then_opens_the_dialog(
    qtbot: QtBot, nurse_ctx: Context
) -> None:
    patient = register_patient(nurse_ctx, patient_draft())
    parent = QWidget()
    qtbot.addWidget(parent)
    preview_consent_packet(nurse_ctx, patient.id, parent)
    dialog = parent.findChild(PrintPreviewDialog, "print_preview_dialog")
    assert isinstance(dialog, PrintPreviewDialog)
    assert dialog.page_count == dialog.printed.pages


def test_a_real_thread_pool_renders_pages_off_the_gui_thread(
    qtbot: QtBot, nurse_ctx: Context, packet: PrintedDocument, tmp_path: Path
) -> None:
    tasks.use_runner(None)  # pages come back from the QThreadPool through queued signals
    out = tmp_path / "printed.pdf"
    dialog = PrintPreviewDialog(nurse_ctx, packet, choose_printer=lambda _: pdf_printer(out))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.printing_finished, timeout=30_000) as finished:
        dialog.print_button.click()
    assert finished.args == [packet.pages, True]
    assert len(PdfReader(out).pages) == packet.pages
    qtbot.waitUntil(lambda: len(document_actions(nurse_ctx)) == 2, timeout=10_000)
