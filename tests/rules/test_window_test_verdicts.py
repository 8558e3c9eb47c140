"""Only a pregnancy test that counts opens a fill window or is the month's test (domain.md
§1.3 timing and the 19-day wait, §1.4 home tests, §1.6 windows, §0 rule set by date)."""

from dataclasses import replace
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.rules.consents import ConsentForm
from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.first_course import (
    earliest_confirmation_test,
    first_course_status,
    judge_first_window_tests,
)
from desktop.rules.ipledge import Fill, IpledgeStep
from desktop.rules.ipledge_cycle import IpledgeHistory, cycle_status, window_state
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestPurpose,
    PregnancyTestResult,
    PregnancyTestSetting,
    VerificationMethod,
    check_pregnancy_test,
)
from desktop.rules.worklist import (
    CourseFacts,
    ItemStatus,
    Severity,
    WorkKind,
    worklist_items,
)

P = PregnancyTestPurpose
NEG = PregnancyTestResult.NEGATIVE
HOME = PregnancyTestSetting.HOME
CHANGE = date(2026, 8, 8)
IUD_AND_CONDOM = ContraceptionPeriod(
    date(2026, 4, 1), ContraceptionMethod.IUD, ContraceptionMethod.CONDOM
)


def neg(purpose: PregnancyTestPurpose, day: date, **facts: object) -> PregnancyTest:
    return PregnancyTest(purpose, day, NEG, **facts)  # type: ignore[arg-type]


def first_course(*tests: PregnancyTest, since: date = date(2026, 4, 1)) -> IpledgeHistory:
    """A first course before any fill; screening 2026-05-01 unless the tests say otherwise."""
    return IpledgeHistory(
        category=RiskCategory.CAN_GET_PREGNANT,
        start_on=date(2026, 7, 1),
        pregnancy_tests=tests,
        contraception=(replace(IUD_AND_CONDOM, starts_on=since),),
    )


SCREENING = neg(P.SCREENING, date(2026, 5, 1))


def case(
    case_id: str,
    *tests: PregnancyTest,
    counts: list[bool],
    repeat: date | None = None,
    since: date = date(2026, 4, 1),
    change: date = CHANGE,
) -> pytest.ParameterSet:
    """One row of the first-course table: contraception since 2026-04-01 and the 2026-08-08
    change unless the row says otherwise; `repeat` is the first failing verdict's."""
    return pytest.param(tests, since, change, counts, repeat, id=case_id)


@pytest.mark.parametrize(
    ("tests", "since", "change", "counts", "repeat"),
    [
        case(
            "§1.3-9-days-after-screening-too-early",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 5, 10)),
            counts=[False],
            repeat=date(2026, 5, 20),
        ),
        case(
            "§1.3-day-before-screening-plus-19",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 5, 19)),
            counts=[False],
            repeat=date(2026, 5, 20),
        ),
        case(
            "§1.3-screening-plus-19-counts",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 5, 20)),
            counts=[True],
        ),
        case(
            "§1.3-30-days-of-contraception-is-later",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 5, 25)),
            counts=[False],
            repeat=date(2026, 5, 31),
            since=date(2026, 5, 1),
        ),
        case("§1.3-no-screening-test", neg(P.CONFIRMATION, date(2026, 6, 1)), counts=[False]),
        case(
            "§1.3-home-screening-does-not-count",
            neg(P.SCREENING, date(2026, 5, 1), setting=HOME),
            neg(P.CONFIRMATION, date(2026, 6, 1)),
            counts=[False],
        ),
        case(
            "§1.3-home-confirmation",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 6, 1), setting=HOME),
            counts=[False],
        ),
        case(
            "§1.3-before-the-first-fill-a-monthly-label-is-still-the-confirmation",
            SCREENING,
            neg(P.MONTHLY, date(2026, 9, 1), setting=HOME),
            counts=[False],
        ),
        case(
            "§1.3-2021-not-a-CLIA-laboratory",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 6, 1), clia_certified_lab=False),
            counts=[False],
        ),
        case(
            "§0-day-of-the-change-no-CLIA-needed",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 8, 8), clia_certified_lab=False),
            counts=[True],
        ),
        case(
            "§1.3-2021-inside-the-19-day-wait",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 6, 1)),
            neg(P.CONFIRMATION, date(2026, 6, 16)),
            counts=[True, False],
            repeat=date(2026, 6, 20),
        ),
        case(
            "§1.3-2021-wait-ends-on-day-19",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 6, 1)),
            neg(P.CONFIRMATION, date(2026, 6, 20)),
            counts=[True, True],
        ),
        case(
            "§1.3-a-second-test-inside-the-open-window",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 6, 1)),
            neg(P.CONFIRMATION, date(2026, 6, 5)),
            counts=[True, True],
        ),
        case(
            "§7.1-change-date-setting-ends-the-wait-early",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 6, 1)),
            neg(P.CONFIRMATION, date(2026, 6, 16)),
            counts=[True, True],
            change=date(2026, 6, 10),
        ),
        case(
            "§1.3-2026-repeat-at-once",
            SCREENING,
            neg(P.CONFIRMATION, date(2026, 9, 1)),
            neg(P.CONFIRMATION, date(2026, 9, 8)),
            counts=[True, True],
        ),
        case(
            "§1.3-leap-year-screening-plus-19-is-29-feb",
            neg(P.SCREENING, date(2024, 2, 10)),
            neg(P.CONFIRMATION, date(2024, 2, 28)),
            neg(P.CONFIRMATION, date(2024, 2, 29)),
            counts=[False, True],
            repeat=date(2024, 2, 29),
            since=date(2024, 1, 1),
        ),
    ],
)
def test_first_course_verdicts(
    tests: tuple[PregnancyTest, ...],
    since: date,
    change: date,
    counts: list[bool],
    repeat: date | None,
) -> None:
    verdicts = judge_first_window_tests(
        tests, (replace(IUD_AND_CONDOM, starts_on=since),), modification_effective_on=change
    )
    assert [v.counts for v in verdicts] == counts
    failing = [v for v in verdicts if not v.counts]
    assert (failing[0].repeat_not_before if failing else None) == repeat
    for verdict in failing:
        assert verdict.problems
        assert all(p.message for p in verdict.problems)


def facts(history: IpledgeHistory) -> CourseFacts:
    return CourseFacts(
        category=history.category,
        birth_date=date(2000, 5, 14),
        start_on=history.start_on,
        pregnancy_tests=history.pregnancy_tests,
        contraception=history.contraception,
        fills=history.fills,
        signed_consents=frozenset(ConsentForm),
        prescriber_allows_home_tests=history.prescriber_allows_home_tests,
    )


def test_a_too_early_confirmation_opens_nothing_and_is_shown_now() -> None:
    """Audit case A: screening 05-01, confirmation 05-10, asked 05-11. The warning is dated
    at the specimen (not at 05-20, beyond the 7-day upcoming horizon)."""
    history = first_course(SCREENING, neg(P.CONFIRMATION, date(2026, 5, 10)))
    on = date(2026, 5, 11)
    assert window_state(history, on=on).open is None
    status = first_course_status(history.pregnancy_tests, history.contraception, on=on)
    assert status.confirmation_too_early
    assert status.earliest_confirmation_test == date(2026, 5, 20)
    items = worklist_items(facts(history), on=on)
    (item,) = [i for i in items if i.kind is WorkKind.CONFIRMATION_TEST]
    assert (item.due_on, item.status, item.severity) == (
        date(2026, 5, 10),
        ItemStatus.OVERDUE,
        Severity.WARNING,
    )
    assert "2026-05-10 does not count" in item.message
    assert "Repeat it on or after 2026-05-20." in item.message
    assert not any(i.kind is WorkKind.FILL_WINDOW_CLOSING for i in items)


def test_a_repeat_inside_the_19_day_wait_opens_nothing() -> None:
    """Audit case B (2021 rules): confirmation 06-01 unfilled (window closed 06-07), repeat
    06-16 when 06-20 is the earliest; asked 06-17."""
    history = first_course(
        SCREENING, neg(P.CONFIRMATION, date(2026, 6, 1)), neg(P.CONFIRMATION, date(2026, 6, 16))
    )
    on = date(2026, 6, 17)
    assert window_state(history, on=on).open is None
    status = first_course_status(history.pregnancy_tests, history.contraception, on=on)
    assert status.missed_window_closed_on == date(2026, 6, 7)
    assert status.next_confirmation_test_not_before == date(2026, 6, 20)
    assert status.confirmation_too_early
    items = worklist_items(facts(history), on=on)
    (item,) = [i for i in items if i.kind is WorkKind.CONFIRMATION_TEST]
    assert (item.due_on, item.severity) == (date(2026, 6, 16), Severity.WARNING)
    assert "19-day wait" in item.message
    assert "Repeat it on or after 2026-06-20." in item.message


HOME_MONTHLY = IpledgeHistory(
    category=RiskCategory.CAN_GET_PREGNANT,
    start_on=date(2026, 6, 3),
    pregnancy_tests=(
        SCREENING,
        neg(P.CONFIRMATION, date(2026, 6, 1)),
        neg(P.MONTHLY, date(2026, 7, 1), setting=HOME),
    ),
    counseling_confirmations=(date(2026, 6, 1), date(2026, 7, 1)),
    comprehension_answers=(date(2026, 6, 1), date(2026, 7, 1)),
    contraception=(IUD_AND_CONDOM,),
    fills=(Fill(date(2026, 6, 3), 30),),
    prescriber_allows_home_tests=True,
)
"""Audit case C: a home monthly test on 2026-07-01, before the 2026 change."""


def test_a_home_monthly_test_before_the_change_is_not_the_months_test() -> None:
    on = date(2026, 7, 2)
    status = cycle_status(HOME_MONTHLY, on=on)
    assert status.window.open is None
    assert status.steps_to_do == (IpledgeStep.PREGNANCY_TEST,)
    (verdict,) = status.tests_not_counted
    assert verdict.test.specimen_on == date(2026, 7, 1)
    items = worklist_items(facts(HOME_MONTHLY), on=on)
    (item,) = [i for i in items if i.kind is WorkKind.PREGNANCY_TEST]
    assert (item.due_on, item.status, item.severity) == (
        date(2026, 7, 1),
        ItemStatus.OVERDUE,
        Severity.WARNING,
    )
    assert "Home tests are not accepted under the iPLEDGE rules in force on 2026-07-01" in (
        item.message
    )


@pytest.mark.parametrize(
    ("verification", "verified_by", "allowed", "counts"),
    [
        pytest.param(VerificationMethod.PHOTO, "RN Example", True, True, id="§1.4-verified"),
        pytest.param(None, "RN Example", True, False, id="§1.4-no-verification-method"),
        pytest.param(VerificationMethod.PHOTO, "", True, False, id="§1.4-no-verifier"),
        pytest.param(VerificationMethod.PHOTO, "RN Example", False, False, id="§1.4-not-allowed"),
    ],
)
def test_home_monthly_test_after_the_change(
    verification: VerificationMethod | None, verified_by: str, allowed: bool, counts: bool
) -> None:
    test = neg(
        P.MONTHLY,
        date(2026, 9, 1),
        setting=HOME,
        verification_method=verification,
        verified_by=verified_by,
    )
    history = replace(
        HOME_MONTHLY,
        pregnancy_tests=(*HOME_MONTHLY.pregnancy_tests[:2], test),
        fills=(Fill(date(2026, 6, 3), 30), Fill(date(2026, 7, 3), 30), Fill(date(2026, 8, 2), 30)),
        prescriber_allows_home_tests=allowed,
    )
    status = cycle_status(history, on=date(2026, 9, 2))
    assert (status.window.open is not None) is counts
    assert (IpledgeStep.PREGNANCY_TEST in status.steps_to_do) is not counts


def test_a_test_that_counts_keeps_its_window_when_a_later_one_does_not() -> None:
    history = replace(
        HOME_MONTHLY,
        pregnancy_tests=(
            *HOME_MONTHLY.pregnancy_tests[:2],
            neg(P.MONTHLY, date(2026, 6, 30)),
            neg(P.MONTHLY, date(2026, 7, 1), setting=HOME),
        ),
    )
    window = window_state(history, on=date(2026, 7, 2)).open
    assert window is not None
    assert (window.opens, window.closes) == (date(2026, 6, 30), date(2026, 7, 6))


# Property: whatever is recorded, a window opens only from a test that passes
# check_pregnancy_test, and before the first fill never before the earliest day allowed.
DAY = st.dates(min_value=date(2026, 4, 1), max_value=date(2026, 10, 31))
TESTS = st.builds(
    PregnancyTest,
    purpose=st.sampled_from(PregnancyTestPurpose),
    specimen_on=DAY,
    result=st.sampled_from(PregnancyTestResult),
    setting=st.none() | st.sampled_from(PregnancyTestSetting),
    verified_by=st.sampled_from(["", "RN Example"]),
    verification_method=st.none() | st.sampled_from(VerificationMethod),
    clia_certified_lab=st.none() | st.booleans(),
)


@settings(max_examples=300, deadline=None)
@given(
    tests=st.lists(TESTS, max_size=6),
    fills=st.lists(DAY, max_size=3, unique=True),
    since=DAY,
    allowed=st.booleans(),
    change=st.dates(min_value=date(2026, 5, 1), max_value=date(2026, 11, 30)),
    on=DAY,
)
def test_a_window_never_opens_from_a_test_that_does_not_qualify(
    tests: list[PregnancyTest],
    fills: list[date],
    since: date,
    allowed: bool,
    change: date,
    on: date,
) -> None:
    history = IpledgeHistory(
        category=RiskCategory.CAN_GET_PREGNANT,
        start_on=date(2026, 4, 1),
        pregnancy_tests=tuple(sorted(tests, key=lambda t: t.specimen_on)),
        contraception=(replace(IUD_AND_CONDOM, starts_on=since),),
        fills=tuple(Fill(day, 30) for day in sorted(fills)),
        prescriber_allows_home_tests=allowed,
    )
    window = window_state(history, on=on, modification_effective_on=change).open
    if window is None:
        return
    openers = [
        t
        for t in tests
        if t.specimen_on == window.opens
        and t.is_negative
        and t.purpose in {P.CONFIRMATION, P.MONTHLY}
        and not check_pregnancy_test(
            t, prescriber_allows_home_tests=allowed, modification_effective_on=change
        )
    ]
    assert openers, "the window's anchor is a negative test that passes its checks"
    first_fill = min(fills, default=None)
    if first_fill is None or window.opens <= first_fill:
        screenings = [
            t.specimen_on
            for t in tests
            if t.purpose is P.SCREENING
            and t.is_negative
            and t.setting is not HOME
            and t.specimen_on <= window.opens
        ]
        assert screenings
        earliest = earliest_confirmation_test(
            screening_on=max(screenings), protected_since_on=since
        )
        assert window.opens >= earliest
        assert window.opens >= max(screenings) + timedelta(days=19)
