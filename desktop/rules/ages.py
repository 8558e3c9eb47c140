"""Age on a given day, in whole years (birthdays, 29 February)."""

from datetime import date

ADULT_AGE_YEARS = 18
"""Under 18 a parent or guardian initials and signs every consent (domain.md §5, §6 Minors)."""


def age_on(birth_date: date, day: date) -> int:
    """Completed years on `day`. Someone born on 29 February turns a year older on
    1 March in common years (their birthday has not happened on 28 February)."""
    years = day.year - birth_date.year
    if (day.month, day.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def is_minor_on(birth_date: date, day: date) -> bool:
    return age_on(birth_date, day) < ADULT_AGE_YEARS
