"""Same-day follow-up a visit calls for, and how long it stands: PHQ-9 question 9 above 0
(domain.md §4.2) and stop-and-call or severe side effects (§4.1).

A flag stands until the follow-up is recorded as done for its visit, or until a later visit
judges the same thing again without it, as a lab alert stands until a later result of that
analyte is not flagged at that level (§3.4, `lab_flags.standing_flags`): the latest visit
with a mood screen decides item 9, the latest visit decides the side effects.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from desktop.rules.mood import SELF_HARM_ITEM, score_phq9
from desktop.rules.side_effects import (
    SIDE_EFFECT_LABELS,
    STOP_AND_CALL,
    ReportedEffect,
    SideEffect,
    urgent_effects,
)


@dataclass(frozen=True, slots=True)
class VisitFindings:
    """What one visit recorded that can call for same-day action."""

    seen_on: date
    mood_screened: bool = True
    """False for a visit moved in without a mood screen (course import, demo data): it says
    nothing about question 9, so it neither raises nor clears that flag."""
    phq9_items: tuple[int, ...] | None = None
    """None when the PHQ-2 was negative and no PHQ-9 was asked."""
    side_effects: tuple[ReportedEffect, ...] = ()
    followed_up_on: date | None = None
    """The day the follow-up this visit called for was recorded as done, if it was."""

    def is_followed_up(self, on: date) -> bool:
        return self.followed_up_on is not None and self.followed_up_on <= on


@dataclass(frozen=True, slots=True)
class StandingFollowUp:
    """A same-day flag of the latest visit that judged it."""

    seen_on: date
    effect: SideEffect | None
    """None: PHQ-9 question 9 above 0; otherwise the side effect reported."""


def needs_self_harm_follow_up(findings: VisitFindings) -> bool:
    """PHQ-9 question 9 above 0, whatever the total (domain.md §4.2)."""
    items = findings.phq9_items
    return items is not None and score_phq9(items).needs_same_day_follow_up


def standing_follow_ups(
    visits: Iterable[VisitFindings], *, on: date
) -> tuple[StandingFollowUp, ...]:
    """Same-day flags still standing on `on`: question 9 first, then each urgent effect in
    the order reported. Two visits on one day: a flag of either stands (the more serious
    answer wins, as for two lab results of one day). A visit whose follow-up was recorded
    as done by `on` raises nothing, but still clears what it judged."""
    known = [v for v in visits if v.seen_on <= on]
    standing: list[StandingFollowUp] = []
    screened = [v for v in known if v.mood_screened]
    if screened:
        last = max(v.seen_on for v in screened)
        latest = [v for v in screened if v.seen_on == last and not v.is_followed_up(on)]
        if any(needs_self_harm_follow_up(v) for v in latest):
            standing.append(StandingFollowUp(last, None))
    if known:
        last = max(v.seen_on for v in known)
        latest = [v for v in known if v.seen_on == last and not v.is_followed_up(on)]
        effects = [e for v in latest for e in urgent_effects(v.side_effects)]
        standing += [StandingFollowUp(last, e) for e in dict.fromkeys(effects)]
    return tuple(standing)


def follow_up_message(standing: StandingFollowUp) -> str:
    """The worklist's sentence: what was found at which visit, and who must act. It says no
    more about the patient than a lab flag's sentence does (the finding and its day)."""
    day = standing.seen_on.isoformat()
    if standing.effect is None:
        return (
            f"Same-day follow-up: PHQ-9 question {SELF_HARM_ITEM} (thoughts of self-harm) "
            f"above 0 at the visit of {day}. A clinician must see the patient that day."
        )
    what = "stop-and-call symptom" if standing.effect in STOP_AND_CALL else "severe side effect"
    return (
        f"Same-day follow-up: {what} at the visit of {day} "
        f"({SIDE_EFFECT_LABELS[standing.effect]}). The prescriber must be told that day."
    )
