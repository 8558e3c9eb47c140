"""Worklist items for one course on a day (domain.md §1.3–§1.7, §3.3, §5; policies in §8)."""

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from desktop.rules.consents import ConsentForm
from desktop.rules.contraception import ContraceptionMethod, ContraceptionPeriod
from desktop.rules.cumulative_dose import DosePeriod
from desktop.rules.ipledge import Fill
from desktop.rules.labs import (
    LabDraw,
    LabPanel,
    LabProtocol,
    RepeatRule,
)
from desktop.rules.patients import RiskCategory
from desktop.rules.pregnancy_tests import (
    PregnancyTest,
    PregnancyTestPurpose,
    PregnancyTestResult,
)
from desktop.rules.worklist import (
    CLOSING_SOON_DAYS,
    UPCOMING_DAYS,
    VISIT_INTERVAL_MONTHS,
    CourseFacts,
    ItemStatus,
    Severity,
    WorkKind,
    WorklistItem,
    WorklistSettings,
    status_on,
    urgency_key,
    worklist_items,
)

CAN = RiskCategory.CAN_GET_PREGNANT
CANNOT = RiskCategory.CANNOT_GET_PREGNANT
P = PregnancyTestPurpose
NEG = PregnancyTestResult.NEGATIVE
POS = PregnancyTestResult.POSITIVE
M = ContraceptionMethod
ALL_FORMS = frozenset(ConsentForm)
MONTHLY_LABS = LabProtocol(
    "clinic-monthly",
    "clinic monthly",
    30,
    (LabPanel.LFT, LabPanel.LIPIDS),
    (),
    RepeatRule.MONTHLY,
    None,
    (),
)
BASELINE = (LabDraw(date(2025, 12, 28), LabPanel.LFT), LabDraw(date(2025, 12, 28), LabPanel.LIPIDS))
RUNNING = CourseFacts(
    category=CAN,
    birth_date=date(2000, 5, 14),
    start_on=date(2026, 1, 5),
    pregnancy_tests=(
        PregnancyTest(P.SCREENING, date(2025, 12, 5), NEG),
        PregnancyTest(P.CONFIRMATION, date(2026, 1, 2), NEG),
    ),
    counseling_confirmations=(date(2026, 1, 2),),
    comprehension_answers=(date(2026, 1, 3),),
    contraception=(ContraceptionPeriod(date(2025, 12, 1), M.IUD, M.CONDOM),),
    fills=(Fill(date(2026, 1, 5), 30),),
    visits=(date(2026, 1, 5),),
    lab_protocol=MONTHLY_LABS,
    lab_draws=BASELINE,
    dose_periods=(DosePeriod(date(2026, 1, 5), Decimal(30)),),
    signed_consents=ALL_FORMS,
)
"""A patient who can get pregnant, first fill 2026-01-05 for 30 days: next prescription
due 2026-02-04."""
FEBRUARY_STEPS = replace(
    RUNNING,
    pregnancy_tests=(*RUNNING.pregnancy_tests, PregnancyTest(P.MONTHLY, date(2026, 2, 2), NEG)),
    counseling_confirmations=(date(2026, 1, 2), date(2026, 2, 2)),
    comprehension_answers=(date(2026, 1, 3), date(2026, 2, 2)),
)


def summary(items: tuple[WorklistItem, ...]) -> list[tuple[str, str, str, str]]:
    return [(i.kind.value, i.due_on.isoformat(), i.status.value, i.severity.value) for i in items]


def test_policy_constants() -> None:
    assert (UPCOMING_DAYS, CLOSING_SOON_DAYS, VISIT_INTERVAL_MONTHS) == (7, 2, 1)


def test_nothing_to_do_on_the_day_of_the_first_fill() -> None:
    assert worklist_items(RUNNING, on=date(2026, 1, 5)) == ()


def test_labs_due_and_monthly_steps_upcoming() -> None:
    """§3.3 M1 (12-28 + 1 month), §1.4 steps due by supply end 01-05 + 30 = 02-04."""
    assert summary(worklist_items(RUNNING, on=date(2026, 1, 28))) == [
        ("lab", "2026-01-28", "due", "warning"),
        ("lab", "2026-01-28", "due", "warning"),
        ("comprehension_questions", "2026-02-04", "upcoming", "info"),
        ("counseling_confirmation", "2026-02-04", "upcoming", "info"),
        ("pregnancy_test", "2026-02-04", "upcoming", "info"),
    ]


@pytest.mark.parametrize(
    ("on", "status", "severity"),
    [
        pytest.param(date(2026, 2, 3), "upcoming", "info", id="W7-five-days-left"),
        pytest.param(date(2026, 2, 6), "upcoming", "warning", id="W7-closing-soon-2-days"),
        pytest.param(date(2026, 2, 7), "upcoming", "warning", id="W7-closing-soon-1-day"),
        pytest.param(date(2026, 2, 8), "due", "urgent", id="W7-closes-today"),
    ],
)
def test_fill_window_closing(on: date, status: str, severity: str) -> None:
    """§8 W7: specimen 02-02 → last day 02-08; closing-soon policy 2 days."""
    facts = replace(FEBRUARY_STEPS, lab_draws=(*BASELINE, *BASELINE_REPEAT))
    windows = [i for i in worklist_items(facts, on=on) if i.kind is WorkKind.FILL_WINDOW_CLOSING]
    assert summary(tuple(windows)) == [("fill_window_closing", "2026-02-08", status, severity)]
    assert "2026-02-08" in windows[0].message


BASELINE_REPEAT = (
    LabDraw(date(2026, 1, 28), LabPanel.LFT),
    LabDraw(date(2026, 1, 28), LabPanel.LIPIDS),
)


def test_missed_monthly_window_asks_for_a_new_test() -> None:
    items = worklist_items(FEBRUARY_STEPS, on=date(2026, 2, 10))
    (test,) = [i for i in items if i.kind is WorkKind.PREGNANCY_TEST]
    assert (test.due_on, test.status) == (date(2026, 2, 4), ItemStatus.OVERDUE)
    assert "closed on 2026-02-08 without a fill" in test.message
    assert WorkKind.FILL_WINDOW_CLOSING not in {i.kind for i in items}


def test_positive_test_is_an_urgent_hard_stop_listed_first() -> None:
    """§1.7: stop, refer, report."""
    facts = replace(
        RUNNING,
        pregnancy_tests=(*RUNNING.pregnancy_tests, PregnancyTest(P.MONTHLY, date(2026, 2, 2), POS)),
    )
    first = worklist_items(facts, on=date(2026, 2, 3))[0]
    assert (first.kind, first.severity) == (WorkKind.PREGNANCY_TEST_POSITIVE, Severity.URGENT)
    assert "must stop now" in first.message


def test_contraception_gap_during_treatment_is_urgent() -> None:
    """§1.5: two methods throughout treatment."""
    facts = replace(
        RUNNING,
        contraception=(*RUNNING.contraception, ContraceptionPeriod(date(2026, 1, 20), M.CONDOM)),
    )
    first = worklist_items(facts, on=date(2026, 1, 22))[0]
    assert summary((first,)) == [("contraception", "2026-01-20", "overdue", "urgent")]


FIRST = CourseFacts(
    category=CAN,
    birth_date=date(2000, 5, 14),
    start_on=date(2026, 3, 2),
    signed_consents=ALL_FORMS,
)


def test_first_course_with_nothing_recorded() -> None:
    """§1.3: contraception must start 30 days before the confirmation test (start 03-02)."""
    assert summary(worklist_items(FIRST, on=date(2026, 2, 1))) == [
        ("contraception", "2026-01-31", "overdue", "warning"),
    ]
    kinds = [i.kind for i in worklist_items(FIRST, on=date(2026, 2, 9))]
    assert WorkKind.SCREENING_TEST in kinds


def test_first_course_confirmation_due_not_before_earliest_date() -> None:
    """§1.3: screening 02-01 + 19 = 02-20; contraception 01-15 + 30 = 02-14; start 03-02."""
    facts = replace(
        FIRST,
        pregnancy_tests=(PregnancyTest(P.SCREENING, date(2026, 2, 1), NEG),),
        contraception=(ContraceptionPeriod(date(2026, 1, 15), M.IMPLANT, M.CONDOM),),
        counseling_confirmations=(date(2026, 2, 1),),
        comprehension_answers=(date(2026, 2, 1),),
    )
    items = worklist_items(facts, on=date(2026, 2, 27))
    (confirmation,) = [i for i in items if i.kind is WorkKind.CONFIRMATION_TEST]
    assert confirmation.due_on == date(2026, 3, 2)
    assert "not before 2026-02-20" in confirmation.message


@pytest.mark.parametrize(
    ("confirmation_on", "on", "due", "wording"),
    [
        pytest.param(
            date(2026, 3, 2),
            date(2026, 3, 20),
            date(2026, 3, 21),
            "may not be collected before 2026-03-21",
            id="§1.3-19-day-wait-before-change",
        ),
        pytest.param(
            date(2026, 7, 20),
            date(2026, 8, 5),
            date(2026, 8, 8),
            "may be collected from 2026-08-08",
            id="§0-wait-ends-on-change-day",
        ),
        pytest.param(
            date(2026, 8, 1),
            date(2026, 8, 9),
            date(2026, 8, 8),
            "in a medical setting, may be collected from 2026-08-08",
            id="§1.3-immediate-repeat-after-change",
        ),
    ],
)
def test_missed_first_window(confirmation_on: date, on: date, due: date, wording: str) -> None:
    facts = replace(
        FIRST,
        start_on=confirmation_on,
        pregnancy_tests=(
            PregnancyTest(P.SCREENING, confirmation_on - timedelta(days=30), NEG),
            PregnancyTest(P.CONFIRMATION, confirmation_on, NEG),
        ),
        contraception=(ContraceptionPeriod(date(2025, 12, 1), M.IUD, M.CONDOM),),
    )
    items = worklist_items(facts, on=on)
    (confirmation,) = [i for i in items if i.kind is WorkKind.CONFIRMATION_TEST]
    assert confirmation.due_on == due
    assert wording in confirmation.message


PCNGP = CourseFacts(
    category=CANNOT,
    birth_date=date(1990, 1, 1),
    start_on=date(2026, 3, 2),
    counseling_confirmations=(date(2026, 3, 2),),
    signed_consents=frozenset({ConsentForm.INFORMED_CONSENT}),
)


def test_pcngp_window_of_30_days_shows_when_closing() -> None:
    """§8 W30: visit 03-02 → last day 03-31; shown from 7 days before."""
    assert worklist_items(PCNGP, on=date(2026, 3, 3)) == ()
    item, visit = worklist_items(PCNGP, on=date(2026, 3, 29))
    assert summary((item,)) == [("fill_window_closing", "2026-03-31", "upcoming", "warning")]
    assert "iPLEDGE" in item.message
    assert (visit.kind, visit.due_on) == (WorkKind.VISIT, date(2026, 4, 2))


@pytest.mark.parametrize(
    ("effective", "expected"),
    [
        pytest.param(date(2026, 8, 8), [], id="§1.4-no-monthly-counseling-after-change"),
        pytest.param(
            date(2026, 12, 1),
            [("counseling_confirmation", "2026-09-09", "upcoming", "info")],
            id="§7.1-change-postponed-still-monthly",
        ),
    ],
)
def test_pcngp_monthly_counseling_per_rule_set(
    effective: date, expected: list[tuple[str, str, str, str]]
) -> None:
    facts = replace(
        PCNGP,
        start_on=date(2026, 8, 10),
        counseling_confirmations=(date(2026, 8, 10),),
        fills=(Fill(date(2026, 8, 10), 30),),
        visits=(date(2026, 8, 10),),
        next_visit_on=date(2026, 9, 20),
    )
    items = worklist_items(
        facts, on=date(2026, 9, 5), settings=WorklistSettings(modification_effective_on=effective)
    )
    assert summary(items) == expected


def test_consent_for_a_minor_names_the_guardian() -> None:
    """§5: under 18 on the signing day, a guardian signs too."""
    facts = replace(PCNGP, birth_date=date(2010, 1, 1), signed_consents=frozenset())
    items = worklist_items(facts, on=date(2026, 3, 1))
    (item,) = [i for i in items if i.kind is WorkKind.CONSENT_MISSING]
    assert "patient, guardian and prescriber" in item.message


def test_consents_by_risk_category() -> None:
    """§5: three forms for a patient who can get pregnant, one otherwise."""
    can = replace(FIRST, signed_consents=frozenset())
    cannot = replace(PCNGP, signed_consents=frozenset())
    consent = WorkKind.CONSENT_MISSING
    assert sum(i.kind is consent for i in worklist_items(can, on=date(2026, 3, 1))) == 3
    assert sum(i.kind is consent for i in worklist_items(cannot, on=date(2026, 3, 1))) == 1


def test_end_of_course_and_post_course_tests() -> None:
    """§1.7: test at the end (05-31) and 1 month after (06-30, §8 M1); no labs, no visits."""
    facts = replace(
        RUNNING,
        last_dose_on=date(2026, 5, 31),
        fills=(Fill(date(2026, 5, 2), 30),),
        visits=(date(2026, 5, 2),),
        lab_draws=(
            LabDraw(date(2026, 5, 2), LabPanel.LFT),
            LabDraw(date(2026, 5, 2), LabPanel.LIPIDS),
        ),
    )
    assert summary(worklist_items(facts, on=date(2026, 5, 31))) == [
        ("end_of_course_pregnancy_test", "2026-05-31", "due", "warning"),
    ]
    later = worklist_items(facts, on=date(2026, 6, 25))
    assert summary(later) == [
        ("end_of_course_pregnancy_test", "2026-05-31", "overdue", "warning"),
        ("post_course_pregnancy_test", "2026-06-30", "upcoming", "info"),
    ]
    done = replace(
        facts,
        pregnancy_tests=(
            *facts.pregnancy_tests,
            PregnancyTest(P.END_OF_COURSE, date(2026, 5, 31), NEG),
            PregnancyTest(P.POST_COURSE, date(2026, 6, 30), NEG),
        ),
    )
    assert worklist_items(done, on=date(2026, 7, 1)) == ()


def test_home_post_course_test_when_allowed_after_the_change() -> None:
    """§1.7: after the change a home test may be used if the prescriber allows."""
    facts = replace(
        RUNNING,
        last_dose_on=date(2026, 9, 30),
        fills=(Fill(date(2026, 9, 1), 30),),
        prescriber_allows_home_tests=True,
    )
    items = worklist_items(facts, on=date(2026, 10, 28))
    assert "verified home test is allowed" in items[-1].message


def test_visit_follows_the_date_set_at_the_last_visit() -> None:
    facts = replace(FEBRUARY_STEPS, next_visit_on=date(2026, 2, 9), fills=(*RUNNING.fills,))
    visits = [i for i in worklist_items(facts, on=date(2026, 2, 3)) if i.kind is WorkKind.VISIT]
    assert [v.due_on for v in visits] == [date(2026, 2, 9)]


def test_status_is_derived_from_dates() -> None:
    on = date(2026, 1, 10)
    assert status_on(date(2026, 1, 11), on) is ItemStatus.UPCOMING
    assert status_on(on, on) is ItemStatus.DUE
    assert status_on(date(2026, 1, 9), on) is ItemStatus.OVERDUE


DAY = st.dates(min_value=date(2025, 10, 1), max_value=date(2026, 12, 31))


@st.composite
def course_facts(draw: st.DrawFn) -> CourseFacts:
    start = draw(DAY)
    tests = draw(
        st.lists(
            st.builds(
                PregnancyTest,
                st.sampled_from(list(P)),
                DAY,
                st.sampled_from(list(PregnancyTestResult)),
            ),
            max_size=5,
        )
    )
    fills = draw(st.lists(st.builds(Fill, DAY, st.integers(1, 30)), max_size=4))
    return CourseFacts(
        category=draw(st.sampled_from(list(RiskCategory))),
        birth_date=date(2008, 2, 29),
        start_on=start,
        last_dose_on=draw(st.none() | DAY),
        pregnancy_tests=tuple(tests),
        counseling_confirmations=tuple(draw(st.lists(DAY, max_size=3))),
        comprehension_answers=tuple(draw(st.lists(DAY, max_size=3))),
        contraception=(ContraceptionPeriod(start - timedelta(days=40), M.IUD, M.CONDOM),),
        fills=tuple(fills),
        visits=tuple(draw(st.lists(DAY, max_size=3))),
        lab_protocol=MONTHLY_LABS,
        lab_draws=tuple(
            draw(st.lists(st.builds(LabDraw, DAY, st.sampled_from(list(LabPanel))), max_size=4))
        ),
    )


@settings(max_examples=300, deadline=None)
@given(course_facts(), DAY)
def test_statuses_are_consistent_with_dates_and_sorted_by_urgency(
    facts: CourseFacts, on: date
) -> None:
    items = worklist_items(facts, on=on)
    for item in items:
        assert item.status is status_on(item.due_on, on)
        assert item.due_on <= on + timedelta(days=UPCOMING_DAYS)
        if item.status is not ItemStatus.UPCOMING:
            assert item.severity is not Severity.INFO
        assert item.message
    assert list(items) == sorted(items, key=urgency_key)
