"""Contraception periods as dated changes, in iPLEDGE's wording of the methods."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from desktop.rules.contraception import (
    ABSTINENCE_LABEL,
    METHOD_LABELS,
    ContraceptionMethod,
    ContraceptionPeriod,
    check_contraception_period,
)
from desktop.ui.table_model import Column, RecordTableModel

IN_USE = "in use"


@dataclass(frozen=True, slots=True)
class ContraceptionChange:
    """A period and the day before the next change (None while it is the latest)."""

    period: ContraceptionPeriod
    until: date | None


def contraception_changes(
    periods: Sequence[ContraceptionPeriod],
) -> tuple[ContraceptionChange, ...]:
    """Newest first, each ending the day before the one that replaced it."""
    ordered = sorted(periods, key=lambda p: p.starts_on)
    ends: list[date | None] = [p.starts_on - timedelta(days=1) for p in ordered[1:]]
    changes = [ContraceptionChange(p, end) for p, end in zip(ordered, [*ends, None], strict=False)]
    return tuple(reversed(changes))


def _method(method: ContraceptionMethod | None) -> str:
    return METHOD_LABELS[method] if method else "—"


def _first(change: ContraceptionChange) -> str:
    return ABSTINENCE_LABEL if change.period.abstinence else _method(change.period.primary_method)


def _second(change: ContraceptionChange) -> str:
    return "" if change.period.abstinence else _method(change.period.secondary_method)


def _acceptable(change: ContraceptionChange) -> str:
    problems = check_contraception_period(change.period)
    return "Yes" if not problems else f"No: {problems[0].message}"


class ContraceptionTableModel(RecordTableModel[ContraceptionChange]):
    def __init__(self) -> None:
        super().__init__(
            (
                Column(
                    "From",
                    lambda c: c.period.starts_on.isoformat(),
                    sort_key=lambda c: c.period.starts_on,
                ),
                Column("Until", lambda c: c.until.isoformat() if c.until else IN_USE),
                Column("Primary form (or abstinence)", _first),
                Column("Second form", _second),
                Column("Acceptable", _acceptable),
            )
        )
