"""Calendar arithmetic for clinical dates: whole months (M1) and inclusive day counts."""

import calendar
from datetime import date, timedelta


def add_months(day: date, months: int) -> date:
    """`day` moved by whole months: the same day of the month, clamped to the last day of a
    shorter month (domain.md §8 M1). 31 January + 1 month = 28 February (29 in a leap year);
    29 February + 12 months = 28 February. `months` may be negative."""
    index = day.year * 12 + (day.month - 1) + months
    year, month_index = divmod(index, 12)
    month = month_index + 1
    last_day = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last_day))


def add_days(day: date, days: int) -> date:
    return day + timedelta(days=days)


def last_day_of_period(first_day: date, length_days: int) -> date:
    """Last day of a period of `length_days` that counts `first_day` as day 1 (domain.md §8:
    "day 1 = the anchor date itself"); a 7-day window from the 1st ends on the 7th."""
    if length_days < 1:
        raise ValueError("a period lasts at least one day")
    return first_day + timedelta(days=length_days - 1)


def days_inclusive(first_day: date, last_day: date) -> int:
    """Number of calendar days from `first_day` through `last_day`, both counted; 0 when
    `last_day` is before `first_day`."""
    return max((last_day - first_day).days + 1, 0)


def days_between(earlier: date, later: date) -> int:
    """Whole days from `earlier` to `later` (negative when `later` comes first)."""
    return (later - earlier).days
