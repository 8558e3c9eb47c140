"""The worklist is read on the thread pool, not the GUI thread (issue 4, item 7: "computed
off the UI thread so typing never stalls"): while the query is still running the window
answers keys, and the table fills once the result comes back.

The other UI tests run tasks inline (tests/ui/conftest.py); these put the real pool back."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

import threading
from collections.abc import Iterator
from typing import Any

import pytest
from PySide6.QtCore import QThreadPool
from pytestqt.qtbot import QtBot

from desktop.rules.worklist_items import WorkKind
from desktop.services.context import Context
from desktop.services.worklist import WorklistView as LoadedWorklist
from desktop.ui import tasks
from desktop.ui.worklist import worklist_view
from desktop.ui.worklist.worklist_table_model import KIND_WORDS
from desktop.ui.worklist.worklist_view import ALL_KINDS, WorklistView
from tests.ui.courses import start_test_course

WAIT_MS = 5000


@pytest.fixture
def thread_pool() -> Iterator[None]:
    """The real pool instead of the inline runner; every task done before teardown."""
    tasks.use_runner(None)
    yield
    QThreadPool.globalInstance().waitForDone()


class HeldQuery:
    """Stands in the view's `load_worklist`: notes the thread each read runs on, waits
    until released, then reads the real worklist."""

    def __init__(self) -> None:
        self.threads: list[int] = []
        self.started = threading.Event()
        self.release = threading.Event()
        self._load = worklist_view.load_worklist

    def __call__(self, ctx: Context, **filters: Any) -> LoadedWorklist:
        self.threads.append(threading.get_ident())
        self.started.set()
        assert self.release.wait(WAIT_MS / 1000), "the test never released the query"
        return self._load(ctx, **filters)


@pytest.fixture
def held_query(monkeypatch: pytest.MonkeyPatch) -> Iterator[HeldQuery]:
    held = HeldQuery()
    monkeypatch.setattr(worklist_view, "load_worklist", held)
    yield held
    held.release.set()  # a failed test must not leave a worker waiting


def test_the_worklist_query_runs_on_a_worker_and_the_table_fills_after(
    qtbot: QtBot,
    nurse_ctx: Context,
    prescriber_ctx: Context,
    thread_pool: None,
    held_query: HeldQuery,
) -> None:
    start_test_course(nurse_ctx)  # a course with its consents, tests and visit to do
    gui_thread = threading.get_ident()

    view = WorklistView(nurse_ctx)  # starts its first read
    qtbot.addWidget(view)
    view.show()

    assert held_query.started.wait(WAIT_MS / 1000), "the worklist was never read"
    assert gui_thread not in held_query.threads
    # The constructor has returned with the query still running: nothing to show yet, and
    # the GUI thread is free to take the nurse's keys.
    assert view.model.rowCount() == 0
    assert view.summary_label.text() == ""
    view.kind_input.setFocus()
    view.kind_input.setCurrentIndex(0)
    qtbot.keyClicks(view.kind_input, "C")  # the first kind starting with C, a new read
    assert view.kind_input.currentText() == KIND_WORDS[WorkKind.CONSENT_MISSING]

    with qtbot.waitSignal(view.loaded, timeout=WAIT_MS):
        held_query.release.set()
    assert len(held_query.threads) >= 2  # the first read, and the one for the kind chosen
    assert gui_thread not in held_query.threads
    assert view.model.rowCount() > 0
    assert {record.kind for record in view.model.records()} == {WorkKind.CONSENT_MISSING}
    assert view.kind_input.currentText().startswith(f"{KIND_WORDS[WorkKind.CONSENT_MISSING]} (")
    assert view.kind_input.itemText(0).startswith(f"{ALL_KINDS} (")
    assert view.summary_label.text().endswith("this week")
