"""Background tasks: results arrive on the GUI thread, errors too, and nothing reaches an
owner that has been deleted."""

# pytest-qt builds QtBot's key and mouse methods at run time, so they carry no types.
# mypy: disable-error-code="no-untyped-call"

import threading
from collections.abc import Iterator

import pytest
import shiboken6
from PySide6.QtCore import QThreadPool
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from desktop.ui import tasks


@pytest.fixture
def thread_pool() -> Iterator[None]:
    tasks.use_runner(None)  # the real pool, not the inline runner the other UI tests use
    yield
    QThreadPool.globalInstance().waitForDone()


def test_result_arrives_on_the_gui_thread(qtbot: QtBot, thread_pool: None) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    seen: list[tuple[int, bool]] = []
    gui_thread = threading.get_ident()

    def work() -> int:
        assert threading.get_ident() != gui_thread
        return 42

    tasks.run_task(
        owner, work, lambda v: seen.append((v, threading.get_ident() == gui_thread)), print
    )
    qtbot.waitUntil(lambda: bool(seen))
    assert seen == [(42, True)]


def test_an_exception_goes_to_on_error(qtbot: QtBot, thread_pool: None) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    errors: list[Exception] = []

    def work() -> int:
        raise ValueError("boom")

    tasks.run_task(owner, work, lambda _v: None, errors.append)
    qtbot.waitUntil(lambda: bool(errors))
    assert isinstance(errors[0], ValueError)


def test_nothing_is_delivered_to_a_deleted_owner(qtbot: QtBot, thread_pool: None) -> None:
    owner = QWidget()
    release = threading.Event()
    seen: list[object] = []

    def work() -> str:
        release.wait(5)
        return "late"

    tasks.run_task(owner, work, seen.append, seen.append)
    shiboken6.delete(owner)
    release.set()
    QThreadPool.globalInstance().waitForDone()
    qtbot.wait(50)
    assert seen == []


def test_inline_runner_delivers_at_once(qtbot: QtBot) -> None:
    owner = QWidget()
    qtbot.addWidget(owner)
    seen: list[int] = []
    tasks.run_task(owner, lambda: 7, seen.append, print)
    assert seen == [7]
