"""Plausible dates: every date a user gives lies in 1900-2099, whichever screen, import or
script sent it. The date inputs refuse other years as they are typed; the services ask again
here, so a date from the command line or a bug in a form cannot reach a record."""

from collections.abc import Iterable, Mapping
from datetime import date

from desktop.rules.problems import Problem

EARLIEST_DATE = date(1900, 1, 1)
LATEST_DATE = date(2099, 12, 31)
IMPLAUSIBLE_YEAR = f"Check the year: type a date from {EARLIEST_DATE.year} to {LATEST_DATE.year}."


def plausible_date(field: str, day: date | None) -> Problem | None:
    """A Problem naming `field` when `day` is outside 1900-2099; None (no date) passes, as
    whether a date is required is each check's own rule."""
    if day is None or EARLIEST_DATE <= day <= LATEST_DATE:
        return None
    return Problem(field, IMPLAUSIBLE_YEAR)


def implausible_dates(fields: Mapping[str, date | Iterable[date] | None]) -> tuple[Problem, ...]:
    """One Problem per field whose date (or any of whose dates) is outside 1900-2099."""
    problems = []
    for field, value in fields.items():
        days = (value,) if value is None or isinstance(value, date) else tuple(value)
        if any(plausible_date(field, day) for day in days):
            problems.append(Problem(field, IMPLAUSIBLE_YEAR))
    return tuple(problems)
