"""When things happen in a demo course: enrolment, the start visit, a visit every 4 weeks with
its fill a few days later, the final visit and the last dose.

Every date is counted in days from the course's anchor, never in calendar months, so a demo
clinic built a week later has every date a week later (tests/cli checks it); the rules'
calendar months are met because a visit every 28 days is never later than the one a month
after the last (a calendar month is at least 28 days, domain.md §8 M1).
"""

import random
from dataclasses import dataclass
from datetime import date, timedelta

from desktop.rules.first_course import CONTRACEPTION_LEAD_DAYS
from desktop.rules.ipledge_rule_sets import SCREENING_TO_CONFIRMATION_MIN_DAYS

VISIT_INTERVAL_DAYS = 28
"""Demo clinic practice: a visit every 4 weeks, booked at the visit before. It is never later
than the monthly visit and the monthly labs are due (one calendar month from the last,
domain.md §4.3, §3.3)."""
DAYS_SUPPLY = 30
"""Each fill is the most iPLEDGE allows (domain.md §1.6)."""
LONGEST_FILL_DELAY_DAYS = 3
"""The fill follows the visit's test within days, well inside its 7-day window (§1.6, §8 W7);
a fill never comes more than 2 days later after the visit than the one before did, so no fill
is more than `DAYS_SUPPLY` days after the last and the patient never runs out."""
SCREENING_TO_CONFIRMATION_DAYS = (SCREENING_TO_CONFIRMATION_MIN_DAYS, 30)
"""The confirmation test is at least 19 days after the screening test (domain.md §1.3)."""
CONTRACEPTION_TO_CONFIRMATION_DAYS = (CONTRACEPTION_LEAD_DAYS, 40)
"""At least 30 days of contraception before the confirmation test (clinic policy, §1.3)."""


@dataclass(frozen=True, slots=True)
class Month:
    """One visit and the fill it leads to. Month 0 is the start visit (the confirmation test,
    or the first prescription's visit) with the first fill on the first day of dosing; an
    ended course closes with a final visit without a fill."""

    visit_on: date
    fill_on: date | None


@dataclass(frozen=True, slots=True)
class Schedule:
    enrolled_on: date
    contraception_from: date
    """Patients who can get pregnant: the first day of two methods (or abstinence)."""
    start_on: date
    months: tuple[Month, ...]
    last_dose_on: date | None
    """Set for an ended course: the last day of its last fill's supply."""

    def visits(self) -> tuple[date, ...]:
        """Monthly visit dates (the start visit is not a visit row: it comes before dosing)."""
        return tuple(m.visit_on for m in self.months[1:])

    def next_visit(self, index: int) -> date | None:
        """The visit booked at visit `index`: the next one, if the course has another."""
        return self.months[index + 1].visit_on if index + 1 < len(self.months) else None


@dataclass(frozen=True, slots=True)
class _Offsets:
    """A schedule in days from the first dose (day 0)."""

    enrolled: int
    contraception: int
    months: tuple[tuple[int, int | None], ...]
    last_dose: int | None

    def at(self, start_on: date) -> Schedule:
        def day(offset: int) -> date:
            return start_on + timedelta(days=offset)

        return Schedule(
            day(self.enrolled),
            day(self.contraception),
            start_on,
            tuple(Month(day(v), None if f is None else day(f)) for v, f in self.months),
            None if self.last_dose is None else day(self.last_dose),
        )


def plan_offsets(
    rng: random.Random, *, can_get_pregnant: bool, months: int, ends: bool
) -> _Offsets:
    """`months` monthly fills (the first at the start), and for an ended course a final visit
    around the last dose."""
    delay = rng.choice((0, 0, 1, 2))
    visit = -delay
    planned: list[tuple[int, int | None]] = [(visit, 0)]
    for _ in range(months - 1):
        visit += VISIT_INTERVAL_DAYS - rng.choice((0, 0, 0, 0, 1, 2))
        delay = rng.randint(0, min(LONGEST_FILL_DELAY_DAYS, delay + 2))
        planned.append((visit, visit + delay))
    last_dose = None
    if ends:
        last_fill = planned[-1][1]
        assert last_fill is not None
        last_dose = last_fill + DAYS_SUPPLY - 1
        # Most come in for the end-of-course test before the last capsule, some just after.
        after = rng.random() < 0.3
        planned.append((last_dose + (rng.randint(1, 5) if after else -rng.randint(0, 3)), None))
    enrolled, contraception = _enrolment(rng, can_get_pregnant, planned[0][0])
    return _Offsets(enrolled, contraception, tuple(planned), last_dose)


def _enrolment(rng: random.Random, can_get_pregnant: bool, start_visit: int) -> tuple[int, int]:
    """Enrolment (consents, screening test) before the start visit. A patient who can get
    pregnant either already uses two methods, or starts them at enrolment and waits the 30
    days before the confirmation test (domain.md §1.3)."""
    if not can_get_pregnant:
        enrolled = start_visit - rng.randint(2, 14)
        return enrolled, enrolled
    if rng.random() < 0.55:
        enrolled = start_visit - rng.randint(*SCREENING_TO_CONFIRMATION_DAYS)
        return enrolled, enrolled - rng.randint(CONTRACEPTION_LEAD_DAYS, 700)
    enrolled = start_visit - rng.randint(*CONTRACEPTION_TO_CONFIRMATION_DAYS)
    return enrolled, enrolled
