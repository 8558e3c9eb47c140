"""A visit's same-day flags on the worklist: PHQ-9 question 9 above 0 (domain.md §4.2) and
stop-and-call or severe side effects (§4.1), urgent on the visit day, overdue after it, until
the follow-up is recorded as done or a later visit judges the same thing without the flag."""

from dataclasses import replace
from datetime import date, timedelta

from desktop.rules.consents import ConsentForm
from desktop.rules.patients import RiskCategory
from desktop.rules.side_effects import EffectSeverity, ReportedEffect, SideEffect
from desktop.rules.visit_follow_up import (
    StandingFollowUp,
    VisitFindings,
    follow_up_message,
    standing_follow_ups,
)
from desktop.rules.worklist import (
    CourseFacts,
    ItemStatus,
    Severity,
    WorkKind,
    WorklistItem,
    worklist_items,
)

START = date(2026, 9, 7)
VISIT_ON = date(2026, 11, 20)
LATER = date(2026, 12, 18)
DAY = timedelta(days=1)
QUIET_PHQ9 = (2, 2, 1, 1, 0, 1, 0, 0, 0)
"""PHQ-2 positive (4 of 6), question 9 at 0."""
SELF_HARM_PHQ9 = (2, 2, 1, 1, 0, 1, 0, 0, 1)
JAUNDICE = ReportedEffect(SideEffect.DARK_URINE_OR_JAUNDICE, EffectSeverity.MODERATE)
SELF_HARM_MESSAGE = (
    "Same-day follow-up: PHQ-9 question 9 (thoughts of self-harm) above 0 at the visit of "
    "2026-11-20. A clinician must see the patient that day."
)
COURSE = CourseFacts(
    category=RiskCategory.CANNOT_GET_PREGNANT,
    birth_date=date(1998, 11, 30),
    start_on=START,
    visits=(START,),
    next_visit_on=VISIT_ON,
    signed_consents=frozenset(ConsentForm),
)
"""A course with nothing else to do around the visit but the visit itself."""


def visit(
    day: date,
    phq9: tuple[int, ...] | None = None,
    *effects: ReportedEffect,
    screened: bool = True,
) -> VisitFindings:
    return VisitFindings(day, screened, phq9, effects)


def with_visits(*visits: VisitFindings, facts: CourseFacts = COURSE) -> CourseFacts:
    return replace(
        facts, visits=(START, *(v.seen_on for v in visits)), visit_findings=tuple(visits)
    )


def follow_ups(facts: CourseFacts, on: date) -> list[WorklistItem]:
    return [i for i in worklist_items(facts, on=on) if i.kind is WorkKind.SAME_DAY_FOLLOW_UP]


def test_question_nine_above_zero_is_the_most_urgent_item_on_the_visit_day() -> None:
    facts = with_visits(visit(VISIT_ON, SELF_HARM_PHQ9))
    items = worklist_items(facts, on=VISIT_ON)
    assert items[0] == WorklistItem(
        WorkKind.SAME_DAY_FOLLOW_UP, VISIT_ON, ItemStatus.DUE, Severity.URGENT, SELF_HARM_MESSAGE
    )
    assert follow_ups(facts, VISIT_ON) == [items[0]]


def test_no_item_without_the_flag() -> None:
    """A positive PHQ-2 with question 9 at 0, a PHQ-2 alone, mild or moderate common effects
    and a PHQ-9 total of 10 or more (the prescriber's, before the next prescription) are
    not same-day work."""
    heavy = (3, 3, 3, 1, 0, 0, 0, 0, 0)
    dry_lips = ReportedEffect(SideEffect.DRY_LIPS, EffectSeverity.MODERATE)
    for findings in (
        visit(VISIT_ON, QUIET_PHQ9),
        visit(VISIT_ON, None, dry_lips),
        visit(VISIT_ON, heavy),
        visit(VISIT_ON, screened=False),
    ):
        assert follow_ups(with_visits(findings), VISIT_ON) == [], findings


def test_a_flag_before_the_visit_day_is_not_known() -> None:
    """Facts dated after the day asked about are ignored."""
    facts = with_visits(visit(VISIT_ON, SELF_HARM_PHQ9))
    assert follow_ups(facts, VISIT_ON - timedelta(days=1)) == []


def test_the_flag_stays_overdue_until_a_later_visit_without_it() -> None:
    facts = with_visits(visit(VISIT_ON, SELF_HARM_PHQ9), visit(LATER, QUIET_PHQ9))
    for day in (VISIT_ON + timedelta(days=1), LATER - timedelta(days=1)):
        (item,) = follow_ups(facts, day)
        assert (item.due_on, item.status, item.severity) == (
            VISIT_ON,
            ItemStatus.OVERDUE,
            Severity.URGENT,
        )
    assert follow_ups(facts, LATER) == []
    assert follow_ups(facts, LATER + timedelta(days=3)) == []


def test_a_negative_phq2_at_the_later_visit_clears_it_too() -> None:
    facts = with_visits(visit(VISIT_ON, SELF_HARM_PHQ9), visit(LATER, None))
    assert follow_ups(facts, LATER) == []


def test_a_later_visit_with_the_flag_again_stands_from_its_own_day() -> None:
    facts = with_visits(visit(VISIT_ON, SELF_HARM_PHQ9), visit(LATER, SELF_HARM_PHQ9))
    assert [(i.due_on, i.status) for i in follow_ups(facts, LATER)] == [(LATER, ItemStatus.DUE)]


def test_a_visit_without_a_mood_screen_does_not_clear_question_nine() -> None:
    """A visit moved in without its answers says nothing about question 9."""
    facts = with_visits(visit(VISIT_ON, SELF_HARM_PHQ9), visit(LATER, screened=False))
    assert [i.due_on for i in follow_ups(facts, LATER)] == [VISIT_ON]


def test_a_stop_and_call_symptom_is_urgent_until_a_later_visit_without_it() -> None:
    facts = with_visits(visit(VISIT_ON, None, JAUNDICE), visit(LATER, None))
    (item,) = follow_ups(facts, VISIT_ON)
    assert (item.status, item.severity) == (ItemStatus.DUE, Severity.URGENT)
    assert item.message == (
        "Same-day follow-up: stop-and-call symptom at the visit of 2026-11-20 (Dark urine or "
        "yellow skin/eyes). The prescriber must be told that day."
    )
    assert follow_ups(facts, VISIT_ON + timedelta(days=7))[0].status is ItemStatus.OVERDUE
    assert follow_ups(facts, LATER) == []


def test_a_severe_common_effect_is_flagged_as_the_visit_flags_it() -> None:
    """`side_effects.urgent_effects`: an effect the patient calls severe needs the prescriber
    today, as the saved visit's flags say."""
    severe_headache = ReportedEffect(SideEffect.HEADACHE, EffectSeverity.SEVERE)
    (item,) = follow_ups(with_visits(visit(VISIT_ON, None, severe_headache)), VISIT_ON)
    assert item.message.startswith(
        "Same-day follow-up: severe side effect at the visit of 2026-11-20 (Headache)."
    )


def test_each_flag_of_a_visit_is_its_own_item_question_nine_first() -> None:
    rash = ReportedEffect(SideEffect.SEVERE_RASH, EffectSeverity.MILD)
    facts = with_visits(visit(VISIT_ON, SELF_HARM_PHQ9, JAUNDICE, rash))
    assert [i.message.split(" at the visit")[0] for i in follow_ups(facts, VISIT_ON)] == [
        "Same-day follow-up: PHQ-9 question 9 (thoughts of self-harm) above 0",
        "Same-day follow-up: stop-and-call symptom",
        "Same-day follow-up: stop-and-call symptom",
    ]


def test_a_later_visit_with_another_symptom_replaces_the_earlier_one() -> None:
    rash = ReportedEffect(SideEffect.SEVERE_RASH, EffectSeverity.MODERATE)
    facts = with_visits(visit(VISIT_ON, None, JAUNDICE), visit(LATER, None, rash))
    assert standing_follow_ups(facts.visit_findings, on=LATER) == (
        StandingFollowUp(LATER, SideEffect.SEVERE_RASH),
    )


def test_two_visits_on_one_day_the_flag_of_either_stands() -> None:
    facts = with_visits(visit(VISIT_ON, SELF_HARM_PHQ9), visit(VISIT_ON, QUIET_PHQ9))
    assert [i.due_on for i in follow_ups(facts, VISIT_ON)] == [VISIT_ON]


def test_after_the_last_dose_only_on_the_visit_day() -> None:
    """No visit is recorded on an ended course, so nothing could clear the flag: it stands
    until the last dose, and on its own visit day."""
    ended = replace(COURSE, last_dose_on=VISIT_ON)
    facts = with_visits(visit(VISIT_ON, SELF_HARM_PHQ9), facts=ended)
    assert len(follow_ups(facts, VISIT_ON)) == 1
    assert follow_ups(facts, VISIT_ON + timedelta(days=1)) == []
    seen_after_the_last_dose = replace(COURSE, last_dose_on=VISIT_ON - timedelta(days=3))
    facts = with_visits(visit(VISIT_ON, SELF_HARM_PHQ9), facts=seen_after_the_last_dose)
    assert [i.status for i in follow_ups(facts, VISIT_ON)] == [ItemStatus.DUE]
    assert follow_ups(facts, VISIT_ON + timedelta(days=1)) == []


def test_a_follow_up_recorded_as_done_takes_the_item_off_from_its_day() -> None:
    """Recorded the day after the visit: overdue that morning's worklist until it is saved,
    gone from then on, the side effect's item as well as question 9's."""
    done = replace(visit(VISIT_ON, SELF_HARM_PHQ9, JAUNDICE), followed_up_on=VISIT_ON + DAY)
    facts = with_visits(done)
    assert len(follow_ups(facts, VISIT_ON)) == 2
    assert follow_ups(facts, VISIT_ON + DAY) == []
    assert follow_ups(facts, LATER - DAY) == []


def test_a_done_follow_up_of_an_earlier_visit_leaves_a_later_flag_standing() -> None:
    earlier = replace(visit(VISIT_ON, SELF_HARM_PHQ9), followed_up_on=VISIT_ON)
    facts = with_visits(earlier, visit(LATER, SELF_HARM_PHQ9))
    assert [(i.due_on, i.status) for i in follow_ups(facts, LATER)] == [(LATER, ItemStatus.DUE)]


def test_a_followed_up_visit_still_clears_an_earlier_flag() -> None:
    """The later visit judged question 9 again: its own answer decides, followed up or not."""
    later = replace(visit(LATER, SELF_HARM_PHQ9), followed_up_on=LATER)
    facts = with_visits(visit(VISIT_ON, SELF_HARM_PHQ9), later)
    assert follow_ups(facts, LATER) == []


def test_two_visits_on_one_day_one_followed_up_the_other_still_stands() -> None:
    followed = replace(visit(VISIT_ON, SELF_HARM_PHQ9), followed_up_on=VISIT_ON)
    facts = with_visits(followed, visit(VISIT_ON, None, JAUNDICE))
    expected = follow_up_message(StandingFollowUp(VISIT_ON, JAUNDICE.effect))
    assert [i.message for i in follow_ups(facts, VISIT_ON)] == [expected]
