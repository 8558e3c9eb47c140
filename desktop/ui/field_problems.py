"""Validation problems shown beside the form fields they concern, plus one summary line."""

from collections.abc import Iterable, Sequence
from itertools import pairwise

from PySide6.QtWidgets import QFormLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from desktop.rules.problems import Problem


class FieldProblems:
    """Maps a draft's field names to their inputs. `wrap` returns the input with a hidden
    red label under it; `show` fills those labels and the dialog's `error_label`, and
    focuses the first field at fault."""

    def __init__(self, error_label: QLabel) -> None:
        self._error_label = error_label
        self._inputs: dict[str, QWidget] = {}
        self._labels: dict[str, QLabel] = {}

    def wrap(self, field: str, widget: QWidget) -> QWidget:
        label = QLabel()
        label.setObjectName("fieldProblem")
        label.setWordWrap(True)
        label.hide()
        box = QWidget()
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(2)
        layout.addWidget(widget)
        layout.addWidget(label)
        box.setFocusProxy(widget)
        # As tall as its contents, never stretched: spare height stays below the form.
        box.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
        self._inputs[field] = widget
        self._labels[field] = label
        return box

    def add_rows(self, form: QFormLayout, rows: Iterable[tuple[str, str, QWidget]]) -> None:
        """One row per (label text with its &mnemonic, draft field name, input): the label
        is the input's buddy, so Alt+letter lands in the field, and the field's problems
        show under it."""
        for text, field, widget in rows:
            label = QLabel(text)
            label.setBuddy(widget.focusProxy() or widget)
            form.addRow(label, self.wrap(field, widget))

    def problem_label(self, field: str) -> QLabel:
        return self._labels[field]

    def clear(self) -> None:
        self._error_label.clear()
        for label in self._labels.values():
            label.clear()
            label.hide()

    def show(self, problems: Iterable[Problem]) -> None:
        self.clear()
        problems = tuple(problems)
        for problem in problems:
            label = self._labels.get(problem.field)
            if label is not None and not label.text():
                label.setText(problem.message)
                label.show()
        self._fit_window()
        if not problems:
            return
        first = problems[0]
        self._error_label.setText(first.message)
        widget = self._inputs.get(first.field)
        if widget is not None:
            widget.setFocus()

    def show_message(self, message: str) -> None:
        """A problem that belongs to no single field (a stale edit, a refusal)."""
        self.clear()
        self._error_label.setText(message)
        self._fit_window()

    def _fit_window(self) -> None:
        """Grow the dialog to fit the new lines: Qt only enforces the minimum size, which
        squeezes the fields together rather than making room."""
        window = self._error_label.window()
        layout = window.layout()
        if layout is not None:
            layout.activate()
        wanted = window.sizeHint().height()
        if window.isVisible() and window.height() < wanted:
            window.resize(window.width(), wanted)


def new_form() -> QFormLayout:
    """A form whose fields take the spare width (names and addresses are long)."""
    form = QFormLayout()
    form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
    return form


def chain_tab_order(owner: QWidget, widgets: Sequence[QWidget]) -> None:
    """Tab visits `widgets` in the order given, the order a person fills the form in."""
    for first, second in pairwise(widgets):
        owner.setTabOrder(first, second)
