"""This cycle at a glance: the rule set in force, the steps still to do, and the fill window
with a countdown in plain words."""

from datetime import date

from PySide6.QtWidgets import QGroupBox, QLabel, QVBoxLayout, QWidget

from desktop.rules.fill_window import FillWindow, WindowBasis
from desktop.rules.ipledge import supply_ends_on
from desktop.rules.ipledge_cycle import CycleStatus
from desktop.rules.patients import RiskCategory
from desktop.rules.worklist_items import CLOSING_SOON_DAYS, WorkKind, WorklistItem
from desktop.ui.ipledge.fact_table import FactTable
from desktop.ui.ipledge.steps_table_model import StepsTableModel, step_states

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
"""Spelled out here rather than by strftime, which follows the workstation's locale."""
NO_WINDOW = "No fill window open"
HARD_STOP_WINDOW = "Do not fill: a positive pregnancy test stands"
HARD_STOP_DETAIL = (
    "No prescription may be filled until the prescriber has reviewed the positive result "
    "(see the message at the top)."
)


def short_date(day: date) -> str:
    """ "Tue 24 Nov": the weekday matters to a nurse planning a pharmacy trip."""
    return f"{WEEKDAYS[day.weekday()]} {day.day} {MONTHS[day.month - 1]}"


def window_countdown(window: FillWindow, today: date) -> str:
    """ "Window open, closes in 2 days: Fri 8 Mar", in issue 4's words (domain.md §1.6)."""
    days_left = (window.closes - today).days
    if days_left <= 0:
        when = "closes today"
    elif days_left == 1:
        when = "closes tomorrow"
    else:
        when = f"closes in {days_left} days"
    return f"Window open, {when}: {short_date(window.closes)}"


def window_basis(window: FillWindow, category: RiskCategory) -> str:
    """Where the window comes from; clinic policy is never passed off as iPLEDGE's rule."""
    length = (window.closes - window.opens).days + 1
    if window.basis is WindowBasis.CLINIC_POLICY:
        return f"clinic policy, not an iPLEDGE rule: {length} days from the visit"
    if category is RiskCategory.CAN_GET_PREGNANT:
        return f"iPLEDGE: {length} days, the specimen day counting as day 1"
    return f"iPLEDGE: {length} days from the office visit"


def _anchor_words(category: RiskCategory) -> str:
    if category is RiskCategory.CAN_GET_PREGNANT:
        return "a negative confirmation or monthly pregnancy test (its specimen date)"
    return "the office visit"


def window_words(cycle: CycleStatus, category: RiskCategory, today: date) -> tuple[str, str]:
    """The headline and the line under it."""
    window = cycle.window
    if window.open is not None:
        opened = f"Opened {short_date(window.open.opens)} ({window_basis(window.open, category)})."
        return window_countdown(window.open, today), opened
    if window.missed is not None:
        missed = window.missed
        return (
            f"Missed: closed {short_date(missed.closes)}",
            f"The window opened {short_date(missed.opens)} passed without a fill; "
            f"the next one opens with {_anchor_words(category)}.",
        )
    return NO_WINDOW, f"The next window opens with {_anchor_words(category)}."


def needs_attention(cycle: CycleStatus, today: date) -> bool:
    """A missed window, or one closing within the clinic's "closing soon" days, is shown in
    red (worklist_items.CLOSING_SOON_DAYS)."""
    window = cycle.window
    if window.missed is not None:
        return True
    return window.open is not None and (window.open.closes - today).days <= CLOSING_SOON_DAYS


def prescription_words(cycle: CycleStatus) -> str:
    fill = cycle.last_fill
    if fill is None:
        return f"First prescription: the course starts {cycle.prescription_due_on.isoformat()}."
    return (
        f"Last fill {fill.filled_on.isoformat()} ({fill.days_supply} days' supply); the next "
        f"prescription is needed by {supply_ends_on(fill).isoformat()}."
    )


def rule_set_words(cycle: CycleStatus) -> str:
    rule_set = cycle.rule_set
    effective = rule_set.effective_on.isoformat()
    in_force = "" if effective in rule_set.title else f" (in force from {effective})"
    return f"Rules in force: {rule_set.title}{in_force}"


class CyclePanel(QGroupBox):
    """Filled by `show_cycle`; knows nothing of services."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("This month", parent)
        self.rule_set_label = QLabel(self)
        self.rule_set_label.setWordWrap(True)
        self.prescription_label = QLabel(self)
        self.prescription_label.setWordWrap(True)
        self.steps_model = StepsTableModel()
        self.steps_table = FactTable(self.steps_model, self)
        self.window_label = QLabel(NO_WINDOW, self)
        self.window_label.setObjectName("heading")
        self.window_detail_label = QLabel(self)
        self.window_detail_label.setObjectName("hint")
        self.window_detail_label.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.rule_set_label)
        layout.addWidget(self.prescription_label)
        layout.addWidget(self.steps_table)
        layout.addWidget(self.window_label)
        layout.addWidget(self.window_detail_label)

    def show_cycle(
        self,
        cycle: CycleStatus,
        category: RiskCategory,
        items: tuple[WorklistItem, ...],
        today: date,
    ) -> None:
        """With a positive test standing there is no countdown to show: the hard stop says
        no prescription may be filled (domain.md §1.7)."""
        self.rule_set_label.setText(rule_set_words(cycle))
        self.prescription_label.setText(prescription_words(cycle))
        self.steps_model.set_records(step_states(category, cycle, items))
        hard_stop = any(i.kind is WorkKind.PREGNANCY_TEST_POSITIVE for i in items)
        if hard_stop:
            headline, detail = HARD_STOP_WINDOW, HARD_STOP_DETAIL
        else:
            headline, detail = window_words(cycle, category, today)
        self.window_label.setText(headline)
        self.window_detail_label.setText(detail)
        attention = hard_stop or needs_attention(cycle, today)
        self._set_tone(self.window_label, "error" if attention else "heading")

    @staticmethod
    def _set_tone(label: QLabel, name: str) -> None:
        """Object names select the style sheet's look; Qt re-reads it only when asked."""
        if label.objectName() != name:
            label.setObjectName(name)
            label.style().unpolish(label)
            label.style().polish(label)
