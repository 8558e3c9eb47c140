"""First course for a patient who can get pregnant: when the confirmation test may be done."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from desktop.rules.calendar import add_days, last_day_of_period
from desktop.rules.contraception import ContraceptionPeriod, protected_since
from desktop.rules.ipledge_rule_sets import (
    DEFAULT_MODIFICATION_EFFECTIVE_ON,
    PCGP_FILL_WINDOW_DAYS,
    SCREENING_TO_CONFIRMATION_MIN_DAYS,
    rule_set_in_force,
)
from desktop.rules.pregnancy_tests import PregnancyTest, PregnancyTestPurpose, latest_negative

CONTRACEPTION_LEAD_DAYS = 30
"""Clinic policy [P]: "contraception for at least 1 month before the first dose" is kept as
a 30-day wait from the start of unbroken contraception (or abstinence) to the confirmation
test, as clinics do [S]. Whether iPLEDGE counts from enrolment or from contraception start
is not verified (domain.md §1.3, §7.4)."""


@dataclass(frozen=True, slots=True)
class FirstCourseStatus:
    """Where a first course stands before the first fill (domain.md §1.3)."""

    earliest_confirmation_test: date
    """A lower bound: with no screening test or contraception recorded yet, it is counted as
    if they started on the day asked about, since neither can start earlier."""
    has_screening_test: bool
    protected_since: date | None
    confirmation_test: PregnancyTest | None
    """The latest negative confirmation test, if any."""
    confirmation_too_early: bool
    """The confirmation test came before the earliest date allowed at its specimen date."""
    missed_window_closed_on: date | None
    """Last day of the confirmation test's window, when it passed without a fill."""
    next_confirmation_test_not_before: date | None


def earliest_confirmation_test(*, screening_on: date, protected_since_on: date) -> date:
    """The later of screening + 19 days (domain.md §1.3) and contraception start + 30 days
    (`CONTRACEPTION_LEAD_DAYS`, clinic policy, §1.3/§7.4)."""
    return max(
        add_days(screening_on, SCREENING_TO_CONFIRMATION_MIN_DAYS),
        add_days(protected_since_on, CONTRACEPTION_LEAD_DAYS),
    )


def next_confirmation_test_not_before(
    previous_confirmation_on: date,
    *,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
) -> date:
    """Earliest repeat confirmation specimen after the first window (specimen + 6) passed
    unfilled (domain.md §1.3). Each candidate day is judged by the rule set in force on that
    day (§0): under the 2021 set it must be ≥ 19 days after the previous confirmation
    specimen; once the modification is in force it may be done at once (the day after the
    window closed), in a medical setting."""
    window_closes = last_day_of_period(previous_confirmation_on, PCGP_FILL_WINDOW_DAYS)
    first_free_day = add_days(window_closes, 1)
    rule_set = rule_set_in_force(
        first_free_day, modification_effective_on=modification_effective_on
    )
    if rule_set.missed_first_window_wait_days is None:
        return first_free_day
    lockout_ends = add_days(previous_confirmation_on, rule_set.missed_first_window_wait_days)
    return min(lockout_ends, max(first_free_day, modification_effective_on))


def first_course_status(
    tests: Sequence[PregnancyTest],
    contraception: Sequence[ContraceptionPeriod],
    *,
    on: date,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
) -> FirstCourseStatus:
    """Status on `on` for a patient who can get pregnant and has had no fill yet (§1.3)."""
    known = [t for t in tests if t.specimen_on <= on]
    screening = latest_negative(known, frozenset({PregnancyTestPurpose.SCREENING}))
    since = protected_since(contraception, on)
    earliest = earliest_confirmation_test(
        screening_on=on if screening is None else screening.specimen_on,
        protected_since_on=on if since is None else since,
    )
    confirmation = latest_negative(known, frozenset({PregnancyTestPurpose.CONFIRMATION}))
    if confirmation is None:
        return FirstCourseStatus(earliest, screening is not None, since, None, False, None, None)
    too_early = _is_too_early(confirmation, screening, contraception)
    closes = last_day_of_period(confirmation.specimen_on, PCGP_FILL_WINDOW_DAYS)
    if closes >= on:
        return FirstCourseStatus(
            earliest, screening is not None, since, confirmation, too_early, None, None
        )
    not_before = next_confirmation_test_not_before(
        confirmation.specimen_on, modification_effective_on=modification_effective_on
    )
    return FirstCourseStatus(
        max(earliest, not_before),
        screening is not None,
        since,
        confirmation,
        too_early,
        closes,
        not_before,
    )


def _is_too_early(
    confirmation: PregnancyTest,
    screening: PregnancyTest | None,
    contraception: Sequence[ContraceptionPeriod],
) -> bool:
    day = confirmation.specimen_on
    since = protected_since(contraception, day)
    if screening is None or screening.specimen_on > day or since is None:
        return True
    return day < earliest_confirmation_test(
        screening_on=screening.specimen_on, protected_since_on=since
    )
