"""What a demo monthly visit records besides the iPLEDGE steps: side effects (mostly dryness,
never a stop-and-call symptom), the mood screen, counselling topics and a nurse's note, in
the columns the visit dialog writes (domain.md §4.1–§4.3, §6)."""

import json
import random
from dataclasses import dataclass

from desktop.rules.counseling_topics import CounselingTopic
from desktop.rules.side_effects import EffectSeverity, ReportedEffect, SideEffect

EFFECT_CHANCES = (
    (SideEffect.DRY_LIPS, 0.65),
    (SideEffect.DRY_SKIN, 0.35),
    (SideEffect.DRY_EYES, 0.12),
    (SideEffect.NOSEBLEEDS, 0.1),
    (SideEffect.JOINT_MUSCLE_PAIN, 0.06),
    (SideEffect.HEADACHE, 0.04),
    (SideEffect.SUN_SENSITIVITY, 0.05),
    (SideEffect.HAIR_THINNING, 0.015),
    (SideEffect.NIGHT_VISION, 0.01),
    (SideEffect.MOOD_CHANGE, 0.015),
)
"""Chances at a visit, scaled by the patient's own tendency; dry lips are near universal
(§4.1). Only mild or moderate: a severe or stop-and-call effect calls for same-day follow-up,
which a well-run demo clinic has none of."""
FIRST_MONTH_FLARE = 0.25
"""The early acne flare of the first month (domain.md §4.1)."""
POSITIVE_PHQ2 = ((2, 1), (1, 2), (2, 2))
POSITIVE_PHQ2_CHANCE = 0.012
"""A rare positive screen (PHQ-2 ≥ 3), answered with a PHQ-9 whose question 9 is 0 (§4.2)."""
QUIET_PHQ2 = (((0, 0), 70), ((1, 0), 10), ((0, 1), 10), ((1, 1), 10))
FIRST_VISIT_TOPICS = tuple(CounselingTopic)
ROUTINE_TOPICS = (
    CounselingTopic.SUN_PROTECTION,
    CounselingTopic.NO_BLOOD_DONATION,
    CounselingTopic.NO_WAXING_OR_LASER,
    CounselingTopic.ALCOHOL_AND_LIPIDS,
    CounselingTopic.MOOD_WARNING_SIGNS,
    CounselingTopic.NO_SHARING,
    CounselingTopic.NIGHT_DRIVING,
    CounselingTopic.WHEN_TO_CALL,
)
NOTES = {
    SideEffect.DRY_LIPS: "Lip balm through the day and emollient at night.",
    SideEffect.DRY_EYES: "Lubricating eye drops; glasses rather than contact lenses for now.",
    SideEffect.NOSEBLEEDS: "Petroleum jelly inside the nostrils at night.",
    SideEffect.DRY_SKIN: "Fragrance-free moisturiser twice a day.",
    SideEffect.SUN_SENSITIVITY: "SPF 50 and a hat outdoors.",
    SideEffect.JOINT_MUSCLE_PAIN: "Easing off heavy training for a few weeks.",
}


@dataclass(frozen=True, slots=True)
class VisitContent:
    effects: tuple[ReportedEffect, ...]
    phq2: tuple[int, int]
    phq9: tuple[int, ...] | None
    topics: tuple[CounselingTopic, ...]
    note: str

    def columns(self) -> dict[str, str]:
        """The visit row's JSON columns, as `visits.record_visit` writes them."""
        return {
            "side_effects_json": json.dumps([[r.effect, r.severity] for r in self.effects]),
            "mood_json": json.dumps({"phq2": self.phq2, "phq9": self.phq9}),
            "counseling_topics_json": json.dumps(list(self.topics)),
            "notes": self.note,
        }


def visit_content(
    rng: random.Random, *, month: int, tendency: float, can_get_pregnant: bool
) -> VisitContent:
    """One monthly visit's findings; `tendency` (0–1) is how dry this patient gets."""
    effects = _effects(rng, month, tendency)
    phq2, phq9 = _mood(rng)
    return VisitContent(
        effects, phq2, phq9, _topics(rng, month, can_get_pregnant), _note(rng, effects)
    )


def _effects(rng: random.Random, month: int, tendency: float) -> tuple[ReportedEffect, ...]:
    found = []
    for effect, chance in EFFECT_CHANCES:
        if rng.random() < chance * (0.3 + tendency):
            moderate = rng.random() < 0.35 * tendency
            found.append(ReportedEffect(effect, _severity(moderate)))
    if month == 1 and rng.random() < FIRST_MONTH_FLARE:
        found.append(ReportedEffect(SideEffect.ACNE_FLARE, EffectSeverity.MILD))
    return tuple(found)


def _severity(moderate: bool) -> EffectSeverity:
    return EffectSeverity.MODERATE if moderate else EffectSeverity.MILD


def _mood(rng: random.Random) -> tuple[tuple[int, int], tuple[int, ...] | None]:
    if rng.random() < POSITIVE_PHQ2_CHANCE:
        phq2 = rng.choice(POSITIVE_PHQ2)
        rest = tuple(rng.choice((0, 0, 1, 1, 2)) for _ in range(6))
        return phq2, (*phq2, *rest, 0)  # question 9 (self-harm) answered 0
    answers = [a for a, _ in QUIET_PHQ2]
    return rng.choices(answers, [w for _, w in QUIET_PHQ2])[0], None


def _topics(rng: random.Random, month: int, can_get_pregnant: bool) -> tuple[CounselingTopic, ...]:
    if month == 1:
        chosen = list(FIRST_VISIT_TOPICS)
    else:
        chosen = rng.sample(ROUTINE_TOPICS, rng.randint(2, 4))
        if can_get_pregnant:
            chosen.append(CounselingTopic.CONTRACEPTION)
    if not can_get_pregnant and CounselingTopic.CONTRACEPTION in chosen:
        chosen.remove(CounselingTopic.CONTRACEPTION)
    order = list(CounselingTopic)
    return tuple(sorted(chosen, key=order.index))


def _note(rng: random.Random, effects: tuple[ReportedEffect, ...]) -> str:
    advised = [NOTES[e.effect] for e in effects if e.effect in NOTES]
    return advised[0] if advised and rng.random() < 0.4 else ""
