"""iPLEDGE rule sets versioned by effective date; each event uses the set in force on its date."""

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

RULES_2021_EFFECTIVE_ON = date(2021, 12, 13)
"""Two gender-neutral risk categories, new platform (domain.md §0, "2021-12-13 effective")."""

DEFAULT_MODIFICATION_EFFECTIVE_ON = date(2026, 8, 8)
"""Default go-live of the modified REMS approved 2026-02-09 (+180 days). The date is
uncertain (a snippet suggests a postponement), so it is a setting an admin can change
(domain.md §0 last row, §7.1); every function that needs it takes it as an argument."""

PCGP_FILL_WINDOW_DAYS = 7
"""Patients who can get pregnant: 7 days counting the specimen date as day 1 (domain.md §1.6,
§8 W7); unchanged by the 2026 modification."""

PCNGP_FILL_WINDOW_DAYS_2021 = 30
"""Patients who cannot get pregnant, 2021 set: 30 days from the office visit, the visit being
day 1 (domain.md §1.6, §8 W30; day-1 convention is IsoTrack policy, §7.3)."""

SCREENING_TO_CONFIRMATION_MIN_DAYS = 19
"""The confirmation test is at least 19 days after the screening test (domain.md §1.3)."""

MISSED_FIRST_WINDOW_WAIT_DAYS_2021 = 19
"""2021 set: after a missed first window, the next confirmation specimen is at least 19 days
after the previous confirmation specimen (domain.md §1.3, the "19-day lockout")."""

MAX_DAYS_SUPPLY = 30
"""At most a 30-day supply per dispense, no refills (domain.md §1.6)."""


class RuleSetId(StrEnum):
    """The `rule_set` value of `isotrack plan` (DESIGN.md)."""

    IPLEDGE_2021 = "ipledge-2021-12-13"
    IPLEDGE_2026 = "ipledge-2026-modification"


@dataclass(frozen=True, slots=True)
class RuleSet:
    """What differs between the iPLEDGE versions IsoTrack models (domain.md §0, §1.3–§1.7)."""

    id: RuleSetId
    effective_on: date
    title: str
    pcngp_pharmacy_window_days: int | None
    """None: the pharmacy no longer applies a window for these patients (2026, §1.6)."""
    missed_first_window_wait_days: int | None
    """None: a repeat confirmation test may be done at once, in a medical setting (§1.3)."""
    pcngp_counseling_every_month: bool
    """False: counselling is confirmed for these patients at enrolment only (§1.4)."""
    home_tests_during_treatment: bool
    """True: monthly, end and post-course tests may be home tests if the prescriber allows
    (§1.4, §1.7). Screening and confirmation tests are always in a medical setting."""
    confirmation_needs_clia_lab: bool
    """True: the confirmation test is done by a CLIA-certified laboratory (§1.3)."""


RULES_2021 = RuleSet(
    id=RuleSetId.IPLEDGE_2021,
    effective_on=RULES_2021_EFFECTIVE_ON,
    title="iPLEDGE REMS as of 2021-12-13",
    pcngp_pharmacy_window_days=PCNGP_FILL_WINDOW_DAYS_2021,
    missed_first_window_wait_days=MISSED_FIRST_WINDOW_WAIT_DAYS_2021,
    pcngp_counseling_every_month=True,
    home_tests_during_treatment=False,
    confirmation_needs_clia_lab=True,
)

RULES_2026 = RuleSet(
    id=RuleSetId.IPLEDGE_2026,
    effective_on=DEFAULT_MODIFICATION_EFFECTIVE_ON,
    title="iPLEDGE REMS modification approved 2026-02-09",
    pcngp_pharmacy_window_days=None,
    missed_first_window_wait_days=None,
    pcngp_counseling_every_month=False,
    home_tests_during_treatment=True,
    confirmation_needs_clia_lab=False,
)


def modification_rule_set(modification_effective_on: date) -> RuleSet:
    """The 2026 set with the clinic's configured effective date."""
    return replace(RULES_2026, effective_on=modification_effective_on)


def rule_set_in_force(
    on: date, *, modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON
) -> RuleSet:
    """The rule set for an event on `on` (domain.md §0: the set in force on the event's date,
    never today's). The modification applies from its effective date inclusive. Dates before
    2021-12-13 get the 2021 set, the earliest IsoTrack models."""
    if on >= modification_effective_on:
        return modification_rule_set(modification_effective_on)
    return RULES_2021
