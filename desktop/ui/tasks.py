"""Service calls off the GUI thread: results come back on the GUI thread, or not at all.

`run_task(owner, work, on_done, on_error)` runs `work()` on a thread pool. Its result (or
the exception it raised) reaches `on_done` (or `on_error`) on the GUI thread through a
queued signal to a relay object parented to `owner`: if `owner` has been deleted by then,
the relay is gone too and the result is silently dropped.

`work` must never touch a widget; services open their own session per call, so calling
them from a worker thread is safe. Tests call `use_runner(InlineRunner())` so that tasks
run at once, on the calling thread.
"""

from collections.abc import Callable
from itertools import count
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, Signal

T = TypeVar("T")
_RELAY_NAME = "isotrack_task_relay"


class TaskRunner(Protocol):
    def start(self, runnable: QRunnable) -> None:
        """Run `runnable` now or later, on any thread."""
        ...


class InlineRunner:
    """Runs each task at once on the calling thread (tests, and the smoke check)."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()


class _TaskSignals(QObject):
    """Made per task on the GUI thread, emitted from the worker: the usual QRunnable pattern.
    It has no parent, so Qt never deletes it while a worker may still emit on it."""

    # Task number and result, on one signal per outcome (no success flag to pass along).
    succeeded = Signal(int, object)
    failed = Signal(int, object)


class _TaskRelay(QObject):
    """One per owner, a child of it on the GUI thread: it receives the queued results and
    calls the callbacks. When Qt deletes the owner it deletes the relay, and any late result
    is dropped. It is never deleted on its own: deleting a Python-made QObject with
    deleteLater right after it delivered a result crashed PySide6 under pytest-qt."""

    def __init__(self, owner: QObject) -> None:
        super().__init__(owner)
        self.setObjectName(_RELAY_NAME)
        self._pending: dict[int, tuple[Callable[[Any], None], Callable[[Exception], None]]] = {}
        self._numbers = count()

    @classmethod
    def of(cls, owner: QObject) -> "_TaskRelay":
        found = owner.findChild(_TaskRelay, _RELAY_NAME, Qt.FindChildOption.FindDirectChildrenOnly)
        return found if isinstance(found, _TaskRelay) else cls(owner)

    def expect(
        self, on_done: Callable[[Any], None], on_error: Callable[[Exception], None]
    ) -> tuple[int, _TaskSignals]:
        number = next(self._numbers)
        self._pending[number] = (on_done, on_error)
        signals = _TaskSignals()
        signals.succeeded.connect(self._on_signals_succeeded)
        signals.failed.connect(self._on_signals_failed)
        return number, signals

    def _on_signals_succeeded(self, number: int, value: object) -> None:
        on_done, _ = self._pending.pop(number)
        on_done(value)

    def _on_signals_failed(self, number: int, error: object) -> None:
        _, on_error = self._pending.pop(number)
        assert isinstance(error, Exception)
        on_error(error)


class _TaskRunnable(QRunnable):
    def __init__(self, work: Callable[[], object], number: int, signals: _TaskSignals) -> None:
        super().__init__()
        self._work = work
        self._number = number
        self._signals = signals

    def run(self) -> None:
        try:
            value = self._work()
        except Exception as error:  # delivered to on_error: the caller decides what to show
            self._signals.failed.emit(self._number, error)
        else:
            self._signals.succeeded.emit(self._number, value)


_runner: TaskRunner | None = None


def use_runner(runner: TaskRunner | None) -> None:
    """Replace the thread pool (tests pass `InlineRunner()`); `None` restores the pool."""
    global _runner
    _runner = runner


def finish_background_work(timeout_ms: int = 30_000) -> bool:
    """Wait for every task already started (the app calls it on its way out, before closing
    the database), so a save or an audit record in flight is written, not cut off when the
    process ends. Their results are not delivered: the windows are gone. False if some task
    was still running after `timeout_ms`."""
    return QThreadPool.globalInstance().waitForDone(timeout_ms)


def run_task(
    owner: QObject,
    work: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[Exception], None],
) -> None:
    """Run `work` in the background; deliver its outcome to `owner`'s callbacks on the GUI
    thread, unless `owner` was deleted meanwhile."""
    number, signals = _TaskRelay.of(owner).expect(on_done, on_error)
    runner = _runner or QThreadPool.globalInstance()
    runner.start(_TaskRunnable(work, number, signals))
