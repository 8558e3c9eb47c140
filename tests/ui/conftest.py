"""UI fixtures: background tasks run inline, and optional review screenshots.

Set ISOTRACK_SCREENSHOTS=DIR to save PNGs of the key screens while the tests run (for the
Xvfb review in STYLE.md §8); a non-root conftest may not add a `--screenshots` option.
"""

import gc
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

import pytest
from PySide6.QtWidgets import QApplication, QWidget

from desktop.ui import tasks
from desktop.ui.app import application

SCREENSHOTS_VARIABLE = "ISOTRACK_SCREENSHOTS"


class Screenshot(Protocol):
    def __call__(self, widget: QWidget, name: str) -> None: ...


@pytest.fixture(autouse=True)
def _inline_tasks() -> Iterator[None]:
    tasks.use_runner(tasks.InlineRunner())
    yield
    tasks.use_runner(None)


@pytest.fixture(autouse=True)
def _collect_garbage_after_each_test() -> Iterator[None]:
    """Collect each test's widgets at its own teardown, not at a random moment in a later
    test: a wrapper that wrongly owns a Qt object (as `QWidget.screen()` did) then fails
    in the test that caused it, every run, instead of as a rare crash somewhere else."""
    yield
    gc.collect()


@pytest.fixture
def screenshot() -> Screenshot:
    """`screenshot(widget, "patient-list")` saves DIR/patient-list.png when asked to."""
    folder = os.environ.get(SCREENSHOTS_VARIABLE)
    if folder:
        application()  # the real fonts and style sheet, so the pictures look like the app

    def save(widget: QWidget, name: str) -> None:
        if not folder:
            return
        Path(folder).mkdir(parents=True, exist_ok=True)
        QApplication.processEvents()  # let pending layout requests settle first
        widget.grab().save(str(Path(folder) / f"{name}.png"))

    return save
