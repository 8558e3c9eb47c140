"""A recorded visit, read-only: everything the visit dialog saved (domain.md §4.3), with the
same-day flags it raised above the rest."""

from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from desktop.rules.counseling_topics import COUNSELING_TOPIC_LABELS
from desktop.rules.mood import MoodScreen
from desktop.rules.side_effects import SIDE_EFFECT_LABELS
from desktop.rules.units import format_weight
from desktop.services.visits import VisitRecord
from desktop.ui.course.post_course_panel import day_text
from desktop.ui.visit.mood_panel import PHQ_ANSWERS, PHQ_QUESTIONS
from desktop.ui.visit.visits_table_model import NO_EFFECTS, NO_MOOD, mood_text

ROW_TITLES = {
    "seen_on": "Visit date",
    "weight": "Weight",
    "missed_doses": "Missed days since the last visit",
    "side_effects": "Side effects",
    "mood": "Mood questions",
    "counseling_topics": "Counselling topics covered",
    "dose_decision": "Dose decision",
    "notes": "Notes",
    "next_visit_on": "Next visit",
    "recorded": "Recorded",
}
NO_TOPICS = "None ticked"
NO_NOTES = "None"
SELECTABLE = Qt.TextInteractionFlag.TextSelectableByMouse | (
    Qt.TextInteractionFlag.TextSelectableByKeyboard
)


def missed_text(count: int) -> str:
    return "None" if count == 0 else f"{count} day" + ("" if count == 1 else "s")


def effects_lines(visit: VisitRecord) -> str:
    if not visit.side_effects:
        return NO_EFFECTS
    return "\n".join(
        f"{SIDE_EFFECT_LABELS[e.effect]}: {e.severity.value}"
        + (" — needed the prescriber that day" if e.effect in visit.urgent_effects else "")
        for e in visit.side_effects
    )


def mood_lines(mood: MoodScreen | None) -> str:
    """The totals, then each question asked with its answer."""
    if mood is None:
        return NO_MOOD
    items = mood.phq9.items if mood.phq9 is not None else mood.phq2.items
    answers = [
        f"{number}. {PHQ_QUESTIONS[number - 1]}: {PHQ_ANSWERS[score]} ({score})"
        for number, score in enumerate(items, start=1)
    ]
    return "\n".join([mood_text(mood), *answers])


def topics_lines(visit: VisitRecord) -> str:
    if not visit.counseling_topics:
        return NO_TOPICS
    return "\n".join(COUNSELING_TOPIC_LABELS[t] for t in visit.counseling_topics)


def recorded_text(visit: VisitRecord, time_zone: ZoneInfo) -> str:
    if visit.recorded_at is None:
        return f"by {visit.recorded_by_name}"
    at = visit.recorded_at.astimezone(time_zone)
    return f"by {visit.recorded_by_name}, {at:%Y-%m-%d %H:%M} {at.tzname()}"


def visit_texts(visit: VisitRecord, time_zone: ZoneInfo) -> dict[str, str]:
    """Row name → what the dialog shows (in `ROW_TITLES` order)."""
    return {
        "seen_on": day_text(visit.seen_on),
        "weight": format_weight(visit.weight_kg),
        "missed_doses": missed_text(visit.missed_doses),
        "side_effects": effects_lines(visit),
        "mood": mood_lines(visit.mood),
        "counseling_topics": topics_lines(visit),
        "dose_decision": visit.dose_decision or "—",
        "notes": visit.notes or NO_NOTES,
        "next_visit_on": day_text(visit.next_visit_on) if visit.next_visit_on else "—",
        "recorded": recorded_text(visit, time_zone),
    }


class VisitViewDialog(QDialog):
    """Nothing here can be changed; Esc or Close shuts it. `value_labels` holds each row's
    text by name (ROW_TITLES)."""

    def __init__(
        self, visit: VisitRecord, time_zone: ZoneInfo, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.visit = visit
        self.setWindowTitle(f"Visit of {visit.seen_on.isoformat()}")
        self.flags_label = QLabel("\n".join(visit.flags))
        self.flags_label.setObjectName("hardStopFlag")
        self.flags_label.setWordWrap(True)
        self.flags_label.setVisible(bool(visit.flags))
        self.value_labels: dict[str, QLabel] = {}
        body = QWidget()
        form = QFormLayout(body)
        for name, text in visit_texts(visit, time_zone).items():
            label = QLabel(text)
            label.setWordWrap(True)
            label.setTextInteractionFlags(SELECTABLE)
            label.setAccessibleName(ROW_TITLES[name])
            self.value_labels[name] = label
            form.addRow(f"{ROW_TITLES[name]}:", label)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        self.close_button = self.buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setDefault(True)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.flags_label)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.buttons)
        self.resize(820, 640)
        self.close_button.setFocus()

    @classmethod
    def show_visit(
        cls, visit: VisitRecord, time_zone: ZoneInfo, parent: QWidget | None = None
    ) -> None:
        cls(visit, time_zone, parent).exec()
