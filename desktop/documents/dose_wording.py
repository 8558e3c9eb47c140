"""How doses, quantities and times are written on paper: one wording for both visit summaries."""

from collections import Counter
from datetime import datetime
from decimal import Decimal

from desktop.documents.data import DoseTime
from desktop.documents.page import format_date

NUMBER_WORDS = ("no", "one", "two", "three", "four", "five", "six")


def quantity(value: Decimal) -> str:
    """6440 → "6,440"; 111.0 stays "111.0": the precision the rules chose is kept."""
    return f"{value:,}"


def plain(value: Decimal) -> str:
    """9880.00 → "9,880"; 2.50 → "2.5"; 150.0 → "150": without the zeros that only say how
    the number was stored. For mg amounts (stored with two decimal places, which mean nothing
    on paper) and for every number on the patient's copy."""
    if value == value.to_integral_value():
        return f"{value.quantize(Decimal(1)):,}"
    return f"{value.normalize():,}"


def capsule_groups(dose: DoseTime) -> list[tuple[int, Decimal]]:
    """(count, strength) in the order the capsules were listed."""
    return [(count, mg) for mg, count in Counter(dose.capsules_mg).items()]


def capsules_for_chart(dose: DoseTime) -> str:
    """ "1 × 30 mg + 1 × 10 mg"; "none" when no capsule is taken at that time."""
    groups = capsule_groups(dose)
    return " + ".join(f"{count} × {plain(mg)} mg" for count, mg in groups) or "none"


def capsules_for_patient(dose: DoseTime) -> str:
    """ "one 30 mg capsule and one 10 mg capsule"; "no capsule" when none is taken."""
    groups = capsule_groups(dose)
    if not groups:
        return "no capsule"
    parts = [
        f"{_count_word(count)} {plain(mg)} mg capsule{'s' if count > 1 else ''}"
        for count, mg in groups
    ]
    return " and ".join(parts)


def signed_time(moment: datetime) -> str:
    """ "Nov 20, 2026 10:05 EST": the time as the service gave it (clinic time zone)."""
    zone = moment.tzname() or ""
    return f"{format_date(moment.date())} {moment:%H:%M} {zone}".rstrip()


def _count_word(count: int) -> str:
    return NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else str(count)
