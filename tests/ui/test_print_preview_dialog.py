"""The print preview: every page shown, Print to an injected PDF printer, Save as…"""

from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.services.context import Context
from desktop.services.patients import register_patient
from desktop.services.printing import PrintedDocument, print_consent_packet
from desktop.ui.printing.print_preview_dialog import PrintPreviewDialog, preview_consent_packet
from tests.conftest import patient_draft


def pdf_printer(path: Path) -> QPrinter:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    return printer


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
    dialog.print_button.click()
    assert len(PdfReader(out).pages) == packet.pages
    assert dialog.status_label.text() == f"Sent {packet.pages} pages to the printer."


def test_cancelled_print_sends_nothing(
    qtbot: QtBot, nurse_ctx: Context, packet: PrintedDocument
) -> None:
    dialog = PrintPreviewDialog(nurse_ctx, packet, choose_printer=lambda _: None)
    qtbot.addWidget(dialog)
    assert dialog.print_document() is False


def test_save_writes_the_bytes(
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
