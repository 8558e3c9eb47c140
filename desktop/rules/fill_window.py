"""The window in which a prescription may be filled, per risk category and rule set."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from desktop.rules.calendar import last_day_of_period
from desktop.rules.ipledge_rule_sets import (
    DEFAULT_MODIFICATION_EFFECTIVE_ON,
    PCGP_FILL_WINDOW_DAYS,
    RuleSetId,
    rule_set_in_force,
)
from desktop.rules.patients import RiskCategory

PCNGP_WINDOW_DAYS_AFTER_MODIFICATION: int | None = 30
"""Clinic policy [P], a setting: from the 2026 modification the pharmacy no longer applies
the 30-day window for patients who cannot get pregnant and its replacement is unknown
(domain.md §1.6, §7.2). IsoTrack keeps a 30-day window from the visit (visit = day 1) as
clinic policy, labelled as such, so that a prescription not picked up within a month is
noticed. None: show no window at all."""


class WindowBasis(StrEnum):
    """Where a window comes from; the UI labels clinic policy as such (domain.md, tag [P])."""

    IPLEDGE = "ipledge"
    CLINIC_POLICY = "clinic_policy"


@dataclass(frozen=True, slots=True)
class FillWindow:
    """First and last day (inclusive) to fill the prescription."""

    opens: date
    closes: date
    basis: WindowBasis
    rule_set: RuleSetId

    def is_open_on(self, day: date) -> bool:
        return self.opens <= day <= self.closes


def fill_window(
    category: RiskCategory,
    *,
    anchor_on: date,
    modification_effective_on: date = DEFAULT_MODIFICATION_EFFECTIVE_ON,
    pcngp_window_days_after_modification: int | None = PCNGP_WINDOW_DAYS_AFTER_MODIFICATION,
) -> FillWindow | None:
    """The window opened by `anchor_on`: the specimen date for a patient who can get pregnant
    (last day = specimen + 6, domain.md §8 W7), the office visit otherwise (last day =
    visit + 29, §8 W30, 2021 set). The rule set is the one in force on the anchor date (§0)."""
    rule_set = rule_set_in_force(anchor_on, modification_effective_on=modification_effective_on)
    if category is RiskCategory.CAN_GET_PREGNANT:
        closes = last_day_of_period(anchor_on, PCGP_FILL_WINDOW_DAYS)
        return FillWindow(anchor_on, closes, WindowBasis.IPLEDGE, rule_set.id)
    if rule_set.pcngp_pharmacy_window_days is not None:
        closes = last_day_of_period(anchor_on, rule_set.pcngp_pharmacy_window_days)
        return FillWindow(anchor_on, closes, WindowBasis.IPLEDGE, rule_set.id)
    if pcngp_window_days_after_modification is None:
        return None
    closes = last_day_of_period(anchor_on, pcngp_window_days_after_modification)
    return FillWindow(anchor_on, closes, WindowBasis.CLINIC_POLICY, rule_set.id)
