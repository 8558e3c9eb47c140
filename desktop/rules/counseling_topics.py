"""Counselling topics a nurse covers and ticks at visits (domain.md §6, §1.5, §1.7)."""

from enum import StrEnum


class CounselingTopic(StrEnum):
    NO_SHARING = "no_sharing"
    NO_BLOOD_DONATION = "no_blood_donation"
    NO_WAXING_OR_LASER = "no_waxing_or_laser"
    SUN_PROTECTION = "sun_protection"
    NO_VITAMIN_A = "no_vitamin_a"
    NO_TETRACYCLINES = "no_tetracyclines"
    ALCOHOL_AND_LIPIDS = "alcohol_and_lipids"
    NIGHT_DRIVING = "night_driving"
    CONTRACEPTION = "contraception"
    MOOD_WARNING_SIGNS = "mood_warning_signs"
    WHEN_TO_CALL = "when_to_call"


COUNSELING_TOPIC_LABELS: dict[CounselingTopic, str] = {
    CounselingTopic.NO_SHARING: "Do not share capsules; return unused ones",
    CounselingTopic.NO_BLOOD_DONATION: "No blood donation during and 1 month after",
    CounselingTopic.NO_WAXING_OR_LASER: "No waxing, laser or dermabrasion (until 6 months after)",
    CounselingTopic.SUN_PROTECTION: "Sun protection: SPF 30+, no tanning beds",
    CounselingTopic.NO_VITAMIN_A: "No vitamin A supplements",
    CounselingTopic.NO_TETRACYCLINES: "No tetracycline antibiotics",
    CounselingTopic.ALCOHOL_AND_LIPIDS: "Limit alcohol; none 36 h before fasting lipids",
    CounselingTopic.NIGHT_DRIVING: "Take care driving at night",
    CounselingTopic.CONTRACEPTION: "Two forms of contraception or abstinence",
    CounselingTopic.MOOD_WARNING_SIGNS: "Mood warning signs; stop and call",
    CounselingTopic.WHEN_TO_CALL: "Symptoms that mean stop and call",
}
