"""Today's batch: progress per patient, Cancel between patients, print all or save all."""

from pathlib import Path

import pytest
from pypdf import PdfReader
from pytestqt.qtbot import QtBot

from desktop.rules.patients import RiskCategory
from desktop.services.context import Context
from desktop.services.patients import register_patient
from desktop.services.printing import TodaysPatient
from desktop.ui import tasks
from desktop.ui.printing.print_batch_dialog import BatchKind, PrintBatchDialog
from tests.conftest import patient_draft
from tests.documents.pdf_reading import page_texts, squash
from tests.ui.test_print_preview_dialog import document_actions, pdf_printer


@pytest.fixture
def five(nurse_ctx: Context) -> tuple[TodaysPatient, ...]:
    made = []
    for n in range(5):
        record = register_patient(
            nurse_ctx,
            patient_draft(
                mrn=f"B-{n}",
                legal_name=f"Batch Patient {n}",
                risk_category=RiskCategory.CANNOT_GET_PREGNANT,
            ),
        )
        made.append(TodaysPatient(record.id, record.legal_name, record.mrn))
    return tuple(made)


def test_batch_of_five_reports_progress_and_saves_all(
    qtbot: QtBot, nurse_ctx: Context, five: tuple[TodaysPatient, ...], tmp_path: Path
) -> None:
    dialog = PrintBatchDialog(
        nurse_ctx, BatchKind.CONSENT_PACKETS, five, choose_folder=lambda _: tmp_path
    )
    qtbot.addWidget(dialog)
    seen: list[tuple[int, int]] = []
    dialog.progress_changed.connect(lambda done, total: seen.append((done, total)))
    dialog.start()
    assert seen == [(1, 5), (2, 5), (3, 5), (4, 5), (5, 5)]
    assert dialog.is_finished
    assert dialog.progress_bar.value() == 5
    assert dialog.status_label.text().startswith("Built 5 of 5:")
    saved = dialog.save_all()
    assert sorted(p.name for p in saved) == sorted(d.file_name for d in dialog.documents)
    assert all(p.read_bytes().startswith(b"%PDF") for p in saved)
    assert len(dialog.save_all()) == 5  # a second save never overwrites: "name (2).pdf"
    assert len(list(tmp_path.glob("*.pdf"))) == 10
    actions = [action for action, _ in document_actions(nurse_ctx)]
    assert actions == ["document.prepare"] * 5 + ["document.saved"] * 10


def test_cancel_after_two_stops_at_two(
    qtbot: QtBot, nurse_ctx: Context, five: tuple[TodaysPatient, ...], tmp_path: Path
) -> None:
    out = tmp_path / "all.pdf"
    dialog = PrintBatchDialog(
        nurse_ctx,
        BatchKind.CONSENT_PACKETS,
        five,
        choose_printer=lambda _: pdf_printer(out),
    )
    qtbot.addWidget(dialog)

    def on_progress(done: int, _total: int) -> None:
        if done == 2:
            dialog.cancel_button.click()

    dialog.progress_changed.connect(on_progress)
    dialog.start()
    assert len(dialog.documents) == 2
    assert "Built 2 of 5 (stopped)" in dialog.status_label.text()
    assert dialog.print_all_button.isEnabled()
    with qtbot.waitSignal(dialog.printing_finished, timeout=30_000) as printed:
        dialog.print_all_button.click()
    sent = printed.args[0] if printed.args else -1
    assert sent == sum(d.pages for d in dialog.documents)
    assert len(PdfReader(out).pages) == sent
    assert dialog.status_label.text() == f"Sent 2 documents ({sent} pages)."
    assert dialog.close_button.isEnabled()
    assert document_actions(nurse_ctx) == [
        *(("document.prepare", d.document_id) for d in dialog.documents),
        *(("document.printed", d.document_id) for d in dialog.documents),
    ]


def test_printing_goes_a_page_at_a_time_and_cancel_stops_the_job(
    qtbot: QtBot, nurse_ctx: Context, five: tuple[TodaysPatient, ...], tmp_path: Path
) -> None:
    out = tmp_path / "all.pdf"
    dialog = PrintBatchDialog(
        nurse_ctx, BatchKind.CONSENT_PACKETS, five, choose_printer=lambda _: pdf_printer(out)
    )
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    dialog.print_all_button.click()
    # Back in the event loop at once: the window paints and Cancel can be pressed.
    assert dialog.status_label.text() == "Printing document 1 of 5…"
    assert dialog.cancel_button.isEnabled()
    assert not dialog.close_button.isEnabled()
    qtbot.waitUntil(lambda: "1 page sent" in dialog.status_label.text(), timeout=10_000)
    assert 0 < dialog.progress_bar.value() < dialog.progress_bar.maximum()
    with qtbot.waitSignal(dialog.printing_finished, timeout=5_000) as printed:
        dialog.cancel_button.click()
    assert printed.args[0] < sum(d.pages for d in dialog.documents)
    assert dialog.status_label.text().startswith("Printing cancelled")
    assert dialog.close_button.isEnabled()
    assert dialog.print_all_button.isEnabled()  # the batch can still be printed in full
    # Built and printed in part: recorded as prepared, never as printed.
    assert {action for action, _ in document_actions(nurse_ctx)} == {"document.prepare"}


def test_a_patient_that_cannot_be_built_is_listed_and_the_rest_go_on(
    qtbot: QtBot, nurse_ctx: Context, five: tuple[TodaysPatient, ...]
) -> None:
    dialog = PrintBatchDialog(nurse_ctx, BatchKind.PATIENT_SUMMARIES, five[:2])
    qtbot.addWidget(dialog)
    dialog.start()
    assert dialog.documents == []
    assert "no course yet" in dialog.problems_label.text()
    assert not dialog.print_all_button.isEnabled()


def test_a_real_thread_pool_keeps_the_window_responsive(
    qtbot: QtBot, nurse_ctx: Context, five: tuple[TodaysPatient, ...]
) -> None:
    tasks.use_runner(None)  # the real QThreadPool: documents arrive through queued signals
    dialog = PrintBatchDialog(nurse_ctx, BatchKind.CONSENT_PACKETS, five)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start()
    assert not dialog.is_finished  # start() returned at once: the GUI thread is free
    qtbot.waitUntil(lambda: dialog.is_finished, timeout=30_000)
    assert len(dialog.documents) == 5


def test_the_batch_honours_a_witness_line_default(
    qtbot: QtBot, nurse_ctx: Context, five: tuple[TodaysPatient, ...], tmp_path: Path
) -> None:
    dialog = PrintBatchDialog(
        nurse_ctx,
        BatchKind.CONSENT_PACKETS,
        five[:2],
        include_witness=True,
        choose_folder=lambda _: tmp_path,
    )
    qtbot.addWidget(dialog)
    assert "witness" in dialog.windowTitle()
    dialog.start()
    for path in dialog.save_all():
        text = squash(" ".join(page.extract_text() for page in PdfReader(path).pages))
        assert "Witness" in text
    plain = PrintBatchDialog(nurse_ctx, BatchKind.CONSENT_PACKETS, five[2:3])
    qtbot.addWidget(plain)
    plain.start()
    assert "Witness" not in squash(" ".join(page_texts(plain.documents[0].pdf)))
