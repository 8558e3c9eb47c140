"""Mood screening at visits: PHQ-2, PHQ-9 when PHQ-2 is positive, self-harm item flag."""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from desktop.rules.problems import Problem

ITEM_MIN_SCORE = 0
ITEM_MAX_SCORE = 3
"""Each PHQ item is scored 0–3 (domain.md §4.2)."""
PHQ2_ITEM_COUNT = 2
PHQ9_ITEM_COUNT = 9

PHQ2_POSITIVE_AT = 3
"""Clinic policy [P], default from domain.md §4.2: a PHQ-2 total ≥ 3 is a positive screen.
A clinic wanting a more sensitive screen may set 2 (≥ 2 misses fewer cases, with more
false positives)."""

SELF_HARM_ITEM = 9
"""PHQ-9 item 9 (thoughts of self-harm): any score above 0 needs same-day clinician
follow-up whatever the total (domain.md §4.2)."""


class Phq9Band(StrEnum):
    MINIMAL = "minimal"
    MILD = "mild"
    MODERATE = "moderate"
    MODERATELY_SEVERE = "moderately_severe"
    SEVERE = "severe"


PHQ9_BANDS: tuple[tuple[int, Phq9Band], ...] = (
    (0, Phq9Band.MINIMAL),
    (5, Phq9Band.MILD),
    (10, Phq9Band.MODERATE),
    (15, Phq9Band.MODERATELY_SEVERE),
    (20, Phq9Band.SEVERE),
)
"""Lowest total of each band: 0–4, 5–9, 10–14, 15–19, 20–27 (domain.md §4.2)."""

PRESCRIBER_REVIEW_FROM_PHQ9 = 10
"""Clinic policy [P]: a PHQ-9 total of 10 or more (moderate band and above) is passed to
the prescriber before the next prescription. Domain.md §4.2 gives the bands but no action
per band; 10 is the usual cut-off for probable major depression [M]."""


@dataclass(frozen=True, slots=True)
class Phq2Result:
    items: tuple[int, int]
    total: int
    is_positive: bool


@dataclass(frozen=True, slots=True)
class Phq9Result:
    items: tuple[int, ...]
    total: int
    band: Phq9Band
    needs_same_day_follow_up: bool


@dataclass(frozen=True, slots=True)
class MoodScreen:
    """One visit's screen. `needs_phq9`: PHQ-2 positive and no PHQ-9 recorded yet."""

    phq2: Phq2Result
    phq9: Phq9Result | None
    needs_phq9: bool
    needs_same_day_follow_up: bool
    actions: tuple[str, ...]


def check_items(items: Sequence[int], *, count: int, field: str) -> tuple[Problem, ...]:
    """Exactly `count` whole scores, each 0–3."""
    if len(items) != count:
        return (Problem(field, f"Answer all {count} questions (got {len(items)})."),)
    return tuple(
        Problem(field, f"Question {n}: the score must be a whole number from 0 to 3.")
        for n, score in enumerate(items, start=1)
        if isinstance(score, bool)
        or not isinstance(score, int)
        or not ITEM_MIN_SCORE <= score <= ITEM_MAX_SCORE
    )


def check_mood_screen(
    phq2_items: Sequence[int] | None, phq9_items: Sequence[int] | None
) -> tuple[Problem, ...]:
    """A screen needs a PHQ-2 or a PHQ-9; if both, PHQ-2 is PHQ-9's first two questions."""
    if phq2_items is None and phq9_items is None:
        return (Problem("phq2", "Record the PHQ-2 (two questions) at every visit."),)
    problems: list[Problem] = []
    if phq2_items is not None:
        problems += check_items(phq2_items, count=PHQ2_ITEM_COUNT, field="phq2")
    if phq9_items is not None:
        problems += check_items(phq9_items, count=PHQ9_ITEM_COUNT, field="phq9")
    both = phq2_items is not None and phq9_items is not None
    if not problems and both and tuple(phq2_items or ()) != tuple(phq9_items or ())[:2]:
        problems.append(Problem("phq9", "PHQ-9 questions 1 and 2 must match the PHQ-2 answers."))
    return tuple(problems)


def score_phq2(items: Sequence[int], *, positive_at: int = PHQ2_POSITIVE_AT) -> Phq2Result:
    """Total of the two items; positive at `positive_at` or more (domain.md §4.2)."""
    _require_valid(items, PHQ2_ITEM_COUNT, "phq2")
    first, second = items
    total = first + second
    return Phq2Result((first, second), total, total >= positive_at)


def score_phq9(items: Sequence[int]) -> Phq9Result:
    """Total 0–27, its band, and the item 9 flag (domain.md §4.2)."""
    _require_valid(items, PHQ9_ITEM_COUNT, "phq9")
    total = sum(items)
    band = next(band for lowest, band in reversed(PHQ9_BANDS) if total >= lowest)
    return Phq9Result(tuple(items), total, band, items[SELF_HARM_ITEM - 1] > 0)


def screen_mood(
    phq2_items: Sequence[int] | None,
    phq9_items: Sequence[int] | None = None,
    *,
    positive_at: int = PHQ2_POSITIVE_AT,
) -> MoodScreen:
    """PHQ-2 at every visit, PHQ-9 when PHQ-2 is positive (domain.md §4.2). Without a
    PHQ-2, its answers are taken from PHQ-9 questions 1–2. Raises ValueError for input
    `check_mood_screen` refuses."""
    if problems := check_mood_screen(phq2_items, phq9_items):
        raise ValueError("; ".join(p.message for p in problems))
    phq9 = score_phq9(phq9_items) if phq9_items is not None else None
    phq2_source = phq2_items if phq2_items is not None else (phq9_items or ())[:PHQ2_ITEM_COUNT]
    phq2 = score_phq2(phq2_source, positive_at=positive_at)
    needs_phq9 = phq2.is_positive and phq9 is None
    urgent = phq9 is not None and phq9.needs_same_day_follow_up
    return MoodScreen(phq2, phq9, needs_phq9, urgent, _actions(phq2, phq9, needs_phq9))


def _actions(phq2: Phq2Result, phq9: Phq9Result | None, needs_phq9: bool) -> tuple[str, ...]:
    actions = []
    if phq9 is not None and phq9.needs_same_day_follow_up:
        actions.append(
            "PHQ-9 question 9 (thoughts of self-harm) scored above 0: a clinician must "
            "follow up with the patient today, before they leave."
        )
    if needs_phq9:
        actions.append(f"PHQ-2 positive ({phq2.total} of 6): complete the PHQ-9 now.")
    if phq9 is not None and phq9.total >= PRESCRIBER_REVIEW_FROM_PHQ9:
        label = phq9.band.value.replace("_", " ")
        actions.append(
            f"PHQ-9 {phq9.total} of 27 ({label} symptoms): tell the prescriber before the "
            "next prescription."
        )
    return tuple(actions)


def _require_valid(items: Sequence[int], count: int, field: str) -> None:
    if problems := check_items(items, count=count, field=field):
        raise ValueError("; ".join(p.message for p in problems))
