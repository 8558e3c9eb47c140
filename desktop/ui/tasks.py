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
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QRunnable, QThreadPool, Signal

T = TypeVar("T")


class TaskRunner(Protocol):
    def start(self, runnable: QRunnable) -> None:
        """Run `runnable` now or later, on any thread."""
        ...


class InlineRunner:
    """Runs each task at once on the calling thread (tests, and the smoke check)."""

    def start(self, runnable: QRunnable) -> None:
        runnable.run()


class _TaskSignals(QObject):
    succeeded = Signal(object)
    failed = Signal(object)


class _TaskRelay(QObject):
    """Lives on the GUI thread as a child of the task's owner and calls the callbacks."""

    def __init__(
        self,
        owner: QObject,
        on_done: Callable[[Any], None],
        on_error: Callable[[Exception], None],
    ) -> None:
        super().__init__(owner)
        self._on_done = on_done
        self._on_error = on_error
        self.signals = _TaskSignals()
        self.signals.succeeded.connect(self._on_signals_succeeded)
        self.signals.failed.connect(self._on_signals_failed)

    def _on_signals_succeeded(self, value: object) -> None:
        self.deleteLater()
        self._on_done(value)

    def _on_signals_failed(self, error: object) -> None:
        self.deleteLater()
        assert isinstance(error, Exception)
        self._on_error(error)


class _TaskRunnable(QRunnable):
    def __init__(self, work: Callable[[], object], signals: _TaskSignals) -> None:
        super().__init__()
        self._work = work
        self._signals = signals

    def run(self) -> None:
        try:
            value = self._work()
        except Exception as error:  # delivered to on_error: the caller decides what to show
            self._signals.failed.emit(error)
        else:
            self._signals.succeeded.emit(value)


_runner: TaskRunner | None = None


def use_runner(runner: TaskRunner | None) -> None:
    """Replace the thread pool (tests pass `InlineRunner()`); `None` restores the pool."""
    global _runner
    _runner = runner


def run_task(
    owner: QObject,
    work: Callable[[], T],
    on_done: Callable[[T], None],
    on_error: Callable[[Exception], None],
) -> None:
    """Run `work` in the background; deliver its outcome to `owner`'s callbacks on the GUI
    thread, unless `owner` was deleted meanwhile."""
    relay = _TaskRelay(owner, on_done, on_error)
    runner = _runner or QThreadPool.globalInstance()
    runner.start(_TaskRunnable(work, relay.signals))
