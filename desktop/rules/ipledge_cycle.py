"""Where a course's iPLEDGE cycle stands on a day: open or missed fill window, steps still to do."""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from desktop.rules.contraception import ContraceptionPeriod, is_acceptable, period_in_force
from desktop.rules.fill_window import (
    PCNGP_WINDOW_DAYS_AFTER_MODIFICATION,
    FillWindow,
    fill_window,
)
from desktop.rules.first_course import judge_first_window_tests
from desktop.rules.ipledge import Fill, IpledgeStep, latest_fill, monthly_steps, supply_ends_on
from desktop.rules.ipledge_rule_sets import (
    DEFAULT_MODIFICATION_EFFECTIVE_ON,
    RuleSet,
    rule_set_in_force,
)
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import (
    WINDOW_OPENING_PURPOSES,
    PregnancyTest,
    WindowTestVerdict,
    judge_window_test,
)


@dataclass(frozen=True, slots=True)
class IpledgeHistory:
    """The iPLEDGE facts of one course, as recorded (domain.md §1.8)."""

    category: RiskCategory
    start_on: date
    pregnancy_tests: tuple[PregnancyTest, ...] = ()
    counseling_confirmations: tuple[date, ...] = ()
    comprehension_answers: tuple[date, ...] = ()
    contraception: tuple[ContraceptionPeriod, ...] = ()
    fills: tuple[Fill, ...] = ()
    visits: tuple[date, ...] = ()
    last_dose_on: date | None = None
    prescriber_allows_home_tests: bool = False


@dataclass(frozen=True, slots=True)
class WindowState:
    """`open`: a window that has not been used and has not closed. `missed`: the latest
    window, closed without a fill."""

    open: FillWindow | None
    missed: FillWindow | None


@dataclass(frozen=True, slots=True)
class CycleStatus:
    """The prescription being worked towards on a day."""

    last_fill: Fill | None
    prescription_due_on: date
    """When the next prescription is needed: the day the last fill's supply runs out, or
    the course start before any fill."""
    rule_set: RuleSet
    """In force on the later of `prescription_due_on` and the day asked about: the rules the
    pharmacy will apply to that prescription (domain.md §0)."""
    steps_to_do: tuple[IpledgeStep, ...]
    window: WindowState
    tests_not_counted: tuple[WindowTestVerdict, ...] = ()
    """Negative confirmation or monthly tests since the last fill (any before the first)
    that do not count, oldest first: they open no window and are not the month's test."""


def judge_window_tests(
    history: IpledgeHistory,
    *,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
) -> tuple[WindowTestVerdict, ...]:
    """Verdicts, in specimen order, on every negative confirmation or monthly test of a
    patient who can get pregnant (none otherwise). A test on or before the first fill is a
    first-course confirmation test, with its timing rules (`judge_first_window_tests`,
    domain.md §1.3); a later one counts when it passes `check_pregnancy_test` for its date
    with the prescriber's home-test allowance (§1.4)."""
    if history.category is not RiskCategory.CAN_GET_PREGNANT:
        return ()
    first_fill = min((f.filled_on for f in history.fills), default=None)
    before = [
        t for t in history.pregnancy_tests if first_fill is None or t.specimen_on <= first_fill
    ]
    after = [
        t
        for t in history.pregnancy_tests
        if first_fill is not None
        and t.specimen_on > first_fill
        and t.purpose in WINDOW_OPENING_PURPOSES
        and t.is_negative
    ]
    later = (
        judge_window_test(
            t,
            prescriber_allows_home_tests=history.prescriber_allows_home_tests,
            modification_effective_on=modification_effective_on,
        )
        for t in sorted(after, key=lambda t: t.specimen_on)
    )
    first = judge_first_window_tests(
        before, history.contraception, modification_effective_on=modification_effective_on
    )
    return (*first, *later)


def window_anchors(
    history: IpledgeHistory,
    *,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
) -> tuple[date, ...]:
    """Dates that open a window: the specimen dates of negative confirmation or monthly
    tests that count (`judge_window_tests`) for a patient who can get pregnant (§8 W7);
    office visits otherwise (§8 W30), a counselling confirmation marking a visit."""
    if history.category is RiskCategory.CAN_GET_PREGNANT:
        verdicts = judge_window_tests(history, modification_effective_on=modification_effective_on)
        return tuple(v.test.specimen_on for v in verdicts if v.counts)
    return tuple(sorted({*history.counseling_confirmations, *history.visits}))


def window_state(
    history: IpledgeHistory,
    *,
    on: date,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
    pcngp_window_days_after_modification: int | None = PCNGP_WINDOW_DAYS_AFTER_MODIFICATION,
) -> WindowState:
    """The window opened by the latest anchor on or before `on`; used once a fill falls on
    or after its anchor."""
    anchors = window_anchors(history, modification_effective_on=modification_effective_on)
    known = [a for a in anchors if a <= on]
    if not known:
        return WindowState(None, None)
    anchor = max(known)
    window = fill_window(
        history.category,
        anchor_on=anchor,
        modification_effective_on=modification_effective_on,
        pcngp_window_days_after_modification=pcngp_window_days_after_modification,
    )
    if window is None or any(anchor <= f.filled_on <= on for f in history.fills):
        return WindowState(None, None)
    if window.closes >= on:
        return WindowState(window, None)
    return WindowState(None, window)


def cycle_status(
    history: IpledgeHistory,
    *,
    on: date,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
    pcngp_window_days_after_modification: int | None = PCNGP_WINDOW_DAYS_AFTER_MODIFICATION,
) -> CycleStatus:
    """Steps still to do before the next prescription (domain.md §1.4), under the rule set
    in force when it is needed. A step counts when done after the last fill (any time
    before the first fill)."""
    fill = latest_fill(history.fills, on=on)
    due_on = history.start_on if fill is None else supply_ends_on(fill)
    rule_set = rule_set_in_force(
        max(due_on, on), modification_effective_on=modification_effective_on
    )
    window = window_state(
        history,
        on=on,
        modification_effective_on=modification_effective_on,
        pcngp_window_days_after_modification=pcngp_window_days_after_modification,
    )
    steps = monthly_steps(history.category, rule_set, is_enrollment=fill is None)
    since = None if fill is None else fill.filled_on
    to_do = tuple(s for s in steps if not _is_done(s, history, window, since=since, on=on))
    not_counted = tuple(
        v
        for v in judge_window_tests(history, modification_effective_on=modification_effective_on)
        if not v.counts
        and (since is None or v.test.specimen_on > since)
        and v.test.specimen_on <= on
    )
    return CycleStatus(fill, due_on, rule_set, to_do, window, not_counted)


def _is_done(
    step: IpledgeStep,
    history: IpledgeHistory,
    window: WindowState,
    *,
    since: date | None,
    on: date,
) -> bool:
    if step is IpledgeStep.COUNSELING_CONFIRMATION:
        return _any_between(history.counseling_confirmations, since, on)
    if step is IpledgeStep.COMPREHENSION_QUESTIONS:
        return _any_between(history.comprehension_answers, since, on)
    if step is IpledgeStep.CONTRACEPTION_ENTRY:
        period = period_in_force(history.contraception, on)
        return period is not None and is_acceptable(period)
    # A pregnancy test counts while the window it opened is open and unused.
    return window.open is not None and (since is None or window.open.opens > since)


def _any_between(days: Sequence[date], since: date | None, on: date) -> bool:
    return any((since is None or day > since) and day <= on for day in days)
