"""Signed records listed with the ones voided (issue 6, item 11): a record voided by a
correction or as recorded in error stays listed, struck through and grey, its status saying
who voided it, when and why; the one that corrects it says so."""

from collections.abc import Callable, Sequence
from typing import Any, Protocol, TypeVar
from zoneinfo import ZoneInfo

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor, QFont

from desktop.services.records import VoidRecord
from desktop.ui.table_model import AnyIndex, Column, RecordTableModel

R = TypeVar("R")
VOIDED_COLOUR = "#52606d"
"""The style sheet's grey for hints (resources/styles/app.qss): still readable."""
STANDS = "Valid"
CORRECTS = "Valid (corrects an earlier entry)"
REPLACED = "; replaced by a correction"


class SignedRecord(Protocol):
    """What a consent signature and a counselling confirmation both say about their void."""

    @property
    def voided(self) -> VoidRecord | None: ...

    @property
    def replaces_id(self) -> int | None: ...

    @property
    def replaced_by_id(self) -> int | None: ...


def void_words(voided: VoidRecord, time_zone: ZoneInfo) -> str:
    """ "Voided 2026-11-20 10:30 by Nina Nurse: the form is dated 18 Nov"."""
    local = voided.voided_at.astimezone(time_zone)
    return f"Voided {local:%Y-%m-%d %H:%M} by {voided.voided_by_name}: {voided.reason}"


def status_words(record: SignedRecord, time_zone: ZoneInfo) -> str:
    """Valid, a correction of an earlier entry, or voided and why (and whether replaced)."""
    if record.voided is not None:
        replaced = REPLACED if record.replaced_by_id is not None else ""
        return void_words(record.voided, time_zone) + replaced
    return CORRECTS if record.replaces_id is not None else STANDS


class SignedRecordsTableModel(RecordTableModel[R]):
    """Rows `is_voided` picks are struck through and grey, except their status (the last
    column), which says why in plain text."""

    def __init__(self, columns: Sequence[Column[R]], is_voided: Callable[[R], bool]) -> None:
        super().__init__(columns)
        self._is_voided = is_voided
        self._status_column = len(columns) - 1

    def data(self, index: AnyIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        voided = (
            index.isValid()
            and index.row() < self.rowCount()
            and self._is_voided(self.record_at(index.row()))
        )
        if voided and role == Qt.ItemDataRole.FontRole and index.column() != self._status_column:
            font = QFont()
            font.setStrikeOut(True)
            return font
        if voided and role == Qt.ItemDataRole.ForegroundRole:
            return QBrush(QColor(VOIDED_COLOUR))
        return super().data(index, role)
