"""How a regimen reads on screen: "AM 10 mg · PM 20 mg", capsules per dose, warnings."""

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal

from desktop.rules.dosing import Dose, DoseWarning, Severity
from desktop.services.catalog.formulary import load_formulary

SEVERITY_WORDS = {
    Severity.INFO: "Note",
    Severity.CAUTION: "Caution",
    Severity.WARNING: "Warning",
    Severity.STOP: "Stop",
}


def doses_text(doses: Sequence[Dose]) -> str:
    """'AM 10 mg · PM 20 mg'; 'On hold (no doses)' when there are none."""
    if not doses:
        return "On hold (no doses)"
    return " · ".join(f"{dose.time.value.upper()} {dose.mg} mg" for dose in doses)


def capsules_text(dose: Dose) -> str:
    """'2 × 20 mg' or '1 × 30 mg + 1 × 10 mg' (larger capsules first)."""
    counts = Counter(dose.capsules_mg)
    return " + ".join(f"{counts[mg]} × {mg} mg" for mg in sorted(counts, reverse=True))


def doses_capsules_text(doses: Sequence[Dose]) -> str:
    """'Capsules: AM 1 × 10 mg · PM 1 × 20 mg'."""
    if not doses:
        return ""
    parts = (f"{dose.time.value.upper()} {capsules_text(dose)}" for dose in doses)
    return "Capsules: " + " · ".join(parts)


def warning_text(warning: DoseWarning) -> str:
    return f"{SEVERITY_WORDS[warning.severity]}: {warning.message}"


def product_display_name(name: str) -> str:
    """The formulary's display name for a stored product name (the name itself if unknown)."""
    found = load_formulary().find(name)
    return found.display_name if found else name


def product_line(name: str) -> str:
    """'Isotretinoin (generic). Take each dose with a meal; …' for the current dose."""
    found = load_formulary().find(name)
    return f"{found.display_name}. {found.food_instruction}" if found else name


def mg_text(value: Decimal) -> str:
    """Thousands separated, decimals only when there are any: '1,140 mg', '4,020.81 mg'."""
    return f"{format_decimal_grouped(value)} mg"


def format_decimal_grouped(value: Decimal) -> str:
    text = f"{value:,f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
