"""Side effects checked at each visit, and which of them mean "stop and call" (domain.md §4.1)."""

from dataclasses import dataclass
from enum import StrEnum


class SideEffect(StrEnum):
    DRY_LIPS = "dry_lips"
    DRY_SKIN = "dry_skin"
    DRY_EYES = "dry_eyes"
    NOSEBLEEDS = "nosebleeds"
    SUN_SENSITIVITY = "sun_sensitivity"
    ACNE_FLARE = "acne_flare"
    JOINT_MUSCLE_PAIN = "joint_muscle_pain"
    HEADACHE = "headache"
    HAIR_THINNING = "hair_thinning"
    NIGHT_VISION = "night_vision"
    MOOD_CHANGE = "mood_change"
    HEADACHE_WITH_VISION_CHANGE = "headache_with_vision_change"
    SEVERE_ABDOMINAL_PAIN = "severe_abdominal_pain"
    DARK_URINE_OR_JAUNDICE = "dark_urine_or_jaundice"
    SEVERE_RASH = "severe_rash"
    HEARING_CHANGE = "hearing_change"
    BOWEL_SYMPTOMS = "bowel_symptoms"


class EffectSeverity(StrEnum):
    MILD = "mild"
    MODERATE = "moderate"
    SEVERE = "severe"


SIDE_EFFECT_LABELS: dict[SideEffect, str] = {
    SideEffect.DRY_LIPS: "Dry, chapped lips",
    SideEffect.DRY_SKIN: "Dry skin",
    SideEffect.DRY_EYES: "Dry eyes / contact lens trouble",
    SideEffect.NOSEBLEEDS: "Dry nose / nosebleeds",
    SideEffect.SUN_SENSITIVITY: "Sunburn easily",
    SideEffect.ACNE_FLARE: "Acne flare",
    SideEffect.JOINT_MUSCLE_PAIN: "Joint, muscle or back pain",
    SideEffect.HEADACHE: "Headache",
    SideEffect.HAIR_THINNING: "Hair thinning",
    SideEffect.NIGHT_VISION: "Poorer night vision",
    SideEffect.MOOD_CHANGE: "Low mood, irritability or anxiety",
    SideEffect.HEADACHE_WITH_VISION_CHANGE: "Headache with blurred vision, nausea or vomiting",
    SideEffect.SEVERE_ABDOMINAL_PAIN: "Severe stomach or back pain",
    SideEffect.DARK_URINE_OR_JAUNDICE: "Dark urine or yellow skin/eyes",
    SideEffect.SEVERE_RASH: "Blistering or peeling rash",
    SideEffect.HEARING_CHANGE: "Ringing ears or hearing loss",
    SideEffect.BOWEL_SYMPTOMS: "Bloody diarrhoea or severe bowel pain",
}

STOP_AND_CALL: frozenset[SideEffect] = frozenset(
    {
        SideEffect.HEADACHE_WITH_VISION_CHANGE,  # intracranial hypertension
        SideEffect.SEVERE_ABDOMINAL_PAIN,  # pancreatitis
        SideEffect.DARK_URINE_OR_JAUNDICE,  # hepatotoxicity
        SideEffect.SEVERE_RASH,  # SJS/TEN
        SideEffect.HEARING_CHANGE,
        SideEffect.BOWEL_SYMPTOMS,
    }
)
"""Serious effects: an urgent flag whatever the labs say (domain.md §3.4 last row, §4.1)."""


@dataclass(frozen=True, slots=True)
class ReportedEffect:
    effect: SideEffect
    severity: EffectSeverity


def urgent_effects(reported: tuple[ReportedEffect, ...]) -> tuple[SideEffect, ...]:
    """Reported effects that need the prescriber today: any stop-and-call effect, and any
    effect the patient calls severe."""
    return tuple(
        r.effect
        for r in reported
        if r.effect in STOP_AND_CALL or r.severity is EffectSeverity.SEVERE
    )
