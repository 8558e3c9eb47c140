"""A course's recorded visits as a table: date, weight, mood screen with the item-9 flag, side
effects, dose decision, next visit, who recorded it and the same-day follow-up; a visit whose
follow-up is still needed is tinted red."""

from functools import cache
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor

from desktop.rules.mood import SELF_HARM_ITEM, MoodScreen
from desktop.rules.side_effects import SIDE_EFFECT_LABELS, ReportedEffect
from desktop.rules.units import format_weight
from desktop.services.visits import VisitRecord
from desktop.ui.table_model import AnyIndex, Column, RecordTableModel

NO_MOOD = "Not recorded"
NO_EFFECTS = "None reported"
SELF_HARM_FLAG = f"ITEM {SELF_HARM_ITEM} FLAG: same-day follow-up"
FLAGGED_TONE = ("#fde8e7", "#b42318")
"""Background and text of a visit whose same-day follow-up is still needed (the worklist's
urgent tone)."""
FOLLOW_UP_NEEDED = "Needed: record it when done"


def mood_text(mood: MoodScreen | None) -> str:
    """ "PHQ-2 4 (positive) · PHQ-9 12 (moderate) · ITEM 9 FLAG: same-day follow-up"."""
    if mood is None:
        return NO_MOOD
    parts = [f"PHQ-2 {mood.phq2.total}" + (" (positive)" if mood.phq2.is_positive else "")]
    if mood.phq9 is not None:
        parts.append(f"PHQ-9 {mood.phq9.total} ({mood.phq9.band.value.replace('_', ' ')})")
    if mood.needs_same_day_follow_up:
        parts.append(SELF_HARM_FLAG)
    return " · ".join(parts)


def effects_text(effects: tuple[ReportedEffect, ...]) -> str:
    if not effects:
        return NO_EFFECTS
    return ", ".join(f"{SIDE_EFFECT_LABELS[e.effect]} ({e.severity.value})" for e in effects)


def follow_up_text(visit: VisitRecord) -> str:
    """ "Done 2026-11-20 by Nina Nurse: seen by Dr Park, safety plan." """
    if (follow_up := visit.follow_up) is not None:
        done_on, by = follow_up.done_on.isoformat(), follow_up.recorded_by_name
        return f"Done {done_on} by {by}: {follow_up.outcome}"
    return FOLLOW_UP_NEEDED if visit.calls_for_follow_up else ""


VISIT_COLUMNS: tuple[Column[VisitRecord], ...] = (
    Column("Date", lambda v: v.seen_on.isoformat(), sort_key=lambda v: v.seen_on),
    Column("Weight", lambda v: format_weight(v.weight_kg), sort_key=lambda v: v.weight_kg),
    Column("Mood (PHQ)", lambda v: mood_text(v.mood)),
    Column("Side effects", lambda v: effects_text(v.side_effects)),
    Column("Dose decision", lambda v: v.dose_decision),
    Column(
        "Next visit",
        lambda v: v.next_visit_on.isoformat() if v.next_visit_on else "",
        sort_key=lambda v: (v.next_visit_on is not None, v.next_visit_on),
    ),
    Column("Recorded by", lambda v: v.recorded_by_name),
    Column("Follow-up", follow_up_text),
)
SIDE_EFFECTS_COLUMN = 3
FOLLOW_UP_COLUMN = len(VISIT_COLUMNS) - 1
WRAPPED_COLUMNS = (2, SIDE_EFFECTS_COLUMN, 4, FOLLOW_UP_COLUMN)
"""Mood, side effects, the dose decision and the follow-up share the spare width and wrap."""


@cache
def _brush(color: str) -> QBrush:
    return QBrush(QColor(color))


class VisitsTableModel(RecordTableModel[VisitRecord]):
    def __init__(self) -> None:
        super().__init__(VISIT_COLUMNS)

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        tones = {Qt.ItemDataRole.BackgroundRole: 0, Qt.ItemDataRole.ForegroundRole: 1}
        if role in tones and index.isValid() and index.row() < self.rowCount():
            if self.record_at(index.row()).needs_follow_up:
                return _brush(FLAGGED_TONE[tones[Qt.ItemDataRole(role)]])
            return None
        return super().data(index, role)
