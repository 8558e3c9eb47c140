"""First course for a patient who can get pregnant: when the confirmation test may be done."""

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from desktop.rules.calendar import add_days, last_day_of_period
from desktop.rules.contraception import ContraceptionPeriod, protected_since
from desktop.rules.ipledge_rule_sets import (
    DEFAULT_MODIFICATION_EFFECTIVE_ON,
    MISSED_FIRST_WINDOW_WAIT_DAYS_2021,
    PCGP_FILL_WINDOW_DAYS,
    SCREENING_TO_CONFIRMATION_MIN_DAYS,
    rule_set_in_force,
)
from desktop.rules.pregnancy_tests import (
    TIMING_FIELD,
    WINDOW_OPENING_PURPOSES,
    PregnancyTest,
    PregnancyTestPurpose,
    WindowTestVerdict,
    check_pregnancy_test,
)
from desktop.rules.problems import Problem

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
    """A negative screening test that counts (in a medical setting) is on record."""
    protected_since: date | None
    confirmation_test: PregnancyTest | None
    """The latest negative test that could open the first window (confirmation, or a
    monthly test recorded before the first fill), whether or not it counts."""
    confirmation_too_early: bool
    """That test was collected before the first day allowed: 19 days after screening and
    30 days of contraception, or the wait after a missed first window (2021 rules)."""
    missed_window_closed_on: date | None
    """Last day of the window of the latest test that counted, when it passed unfilled."""
    next_confirmation_test_not_before: date | None
    confirmation_verdict: WindowTestVerdict | None = None
    """Whether `confirmation_test` counts, and why not."""


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


def counting_screening_test(
    tests: Sequence[PregnancyTest],
    on: date,
    *,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
) -> PregnancyTest | None:
    """The latest negative screening test on or before `on` that passes its checks (in a
    medical setting, domain.md §1.3)."""
    found = [
        t
        for t in tests
        if t.purpose is PregnancyTestPurpose.SCREENING
        and t.is_negative
        and t.specimen_on <= on
        and not check_pregnancy_test(
            t,
            prescriber_allows_home_tests=False,
            modification_effective_on=modification_effective_on,
        )
    ]
    return max(found, key=lambda t: t.specimen_on, default=None)


def judge_first_window_tests(
    tests: Sequence[PregnancyTest],
    contraception: Sequence[ContraceptionPeriod],
    *,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
) -> tuple[WindowTestVerdict, ...]:
    """Verdicts, in specimen order, on the negative confirmation and monthly tests of
    `tests`, all taken before the first fill (domain.md §1.3). Before the first fill such a
    test is the confirmation test whatever its label, so it counts only when:
    - it passes `check_pregnancy_test` as a confirmation test (medical setting; a
      CLIA-certified laboratory under the 2021 rules);
    - a counting screening test precedes it and it is not before the later of screening +
      19 days and 30 days of unbroken contraception (`earliest_confirmation_test`);
    - under the 2021 rules, it is not inside the 19-day wait after the window of the last
      test that counted closed without a fill (`next_confirmation_test_not_before`); the
      2026 modification has no wait (the change date is a setting, §0, §7.1)."""
    verdicts: list[WindowTestVerdict] = []
    last_counted: PregnancyTest | None = None
    for test in sorted(_window_tests(tests), key=lambda t: t.specimen_on):
        as_confirmation = replace(test, purpose=PregnancyTestPurpose.CONFIRMATION)
        problems = list(
            check_pregnancy_test(
                as_confirmation,
                prescriber_allows_home_tests=False,
                modification_effective_on=modification_effective_on,
            )
        )
        timing, not_before = _timing(test, tests, contraception, modification_effective_on)
        wait, wait_ends = _missed_window_wait(test, last_counted, modification_effective_on)
        problems += timing + wait
        repeat = max((d for d in (not_before, wait_ends) if d is not None), default=None)
        verdict = WindowTestVerdict(test, tuple(problems), repeat)
        verdicts.append(verdict)
        if verdict.counts:
            last_counted = test
    return tuple(verdicts)


def first_course_status(
    tests: Sequence[PregnancyTest],
    contraception: Sequence[ContraceptionPeriod],
    *,
    on: date,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
) -> FirstCourseStatus:
    """Status on `on` for a patient who can get pregnant and has had no fill yet (§1.3)."""
    known = [t for t in tests if t.specimen_on <= on]
    screening = counting_screening_test(
        known, on, modification_effective_on=modification_effective_on
    )
    since = protected_since(contraception, on)
    earliest = earliest_confirmation_test(
        screening_on=on if screening is None else screening.specimen_on,
        protected_since_on=on if since is None else since,
    )
    verdicts = judge_first_window_tests(
        known, contraception, modification_effective_on=modification_effective_on
    )
    latest = verdicts[-1] if verdicts else None
    counted = [v.test for v in verdicts if v.counts]
    closed_on = not_before = None
    if counted:
        closes = last_day_of_period(counted[-1].specimen_on, PCGP_FILL_WINDOW_DAYS)
        if closes < on:
            closed_on = closes
            not_before = next_confirmation_test_not_before(
                counted[-1].specimen_on, modification_effective_on=modification_effective_on
            )
            earliest = max(earliest, not_before)
    return FirstCourseStatus(
        earliest_confirmation_test=earliest,
        has_screening_test=screening is not None,
        protected_since=since,
        confirmation_test=None if latest is None else latest.test,
        confirmation_too_early=latest is not None and latest.is_too_early,
        missed_window_closed_on=closed_on,
        next_confirmation_test_not_before=not_before,
        confirmation_verdict=latest,
    )


def _window_tests(tests: Sequence[PregnancyTest]) -> list[PregnancyTest]:
    return [t for t in tests if t.purpose in WINDOW_OPENING_PURPOSES and t.is_negative]


def _timing(
    test: PregnancyTest,
    tests: Sequence[PregnancyTest],
    contraception: Sequence[ContraceptionPeriod],
    modification_effective_on: date,
) -> tuple[list[Problem], date | None]:
    """Screening + 19 days and 30 days of contraception before the specimen (§1.3, §7.4)."""
    day = test.specimen_on
    screening = counting_screening_test(
        tests, day, modification_effective_on=modification_effective_on
    )
    if screening is None:
        return [
            Problem(
                TIMING_FIELD,
                "No negative screening test in a medical setting is on record before it; the "
                f"confirmation test comes at least {SCREENING_TO_CONFIRMATION_MIN_DAYS} days "
                "after one.",
            )
        ], None
    since = protected_since(contraception, day)
    if since is None:
        return [
            Problem(
                TIMING_FIELD,
                "No acceptable contraception (two methods, or abstinence) was on record on "
                f"that day; it is needed from at least {CONTRACEPTION_LEAD_DAYS} days before "
                "the confirmation test (clinic policy).",
            )
        ], None
    earliest = earliest_confirmation_test(
        screening_on=screening.specimen_on, protected_since_on=since
    )
    if day >= earliest:
        return [], None
    return [
        Problem(
            TIMING_FIELD,
            f"Too early: the confirmation test comes at least "
            f"{SCREENING_TO_CONFIRMATION_MIN_DAYS} days after the screening test of "
            f"{screening.specimen_on.isoformat()} and after {CONTRACEPTION_LEAD_DAYS} days of "
            f"contraception (since {since.isoformat()}, clinic policy), so not before "
            f"{earliest.isoformat()}.",
        )
    ], earliest


def _missed_window_wait(
    test: PregnancyTest, last_counted: PregnancyTest | None, modification_effective_on: date
) -> tuple[list[Problem], date | None]:
    """Inside the wait after a missed first window (2021 rules only, §1.3)."""
    if last_counted is None:
        return [], None
    closes = last_day_of_period(last_counted.specimen_on, PCGP_FILL_WINDOW_DAYS)
    if test.specimen_on <= closes:
        return [], None
    not_before = next_confirmation_test_not_before(
        last_counted.specimen_on, modification_effective_on=modification_effective_on
    )
    if test.specimen_on >= not_before:
        return [], None
    rule_set = rule_set_in_force(
        test.specimen_on, modification_effective_on=modification_effective_on
    )
    days = rule_set.missed_first_window_wait_days or MISSED_FIRST_WINDOW_WAIT_DAYS_2021
    return [
        Problem(
            TIMING_FIELD,
            f"Inside the {days}-day wait: the fill window of the confirmation test of "
            f"{last_counted.specimen_on.isoformat()} closed on {closes.isoformat()} without a "
            f"fill, and under the {rule_set.title} the next confirmation specimen may not be "
            f"collected before {not_before.isoformat()}.",
        )
    ], not_before
