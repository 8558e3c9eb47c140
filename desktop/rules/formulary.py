"""The isotretinoin formulary as rule input: products, capsule strengths, labelled ranges.

The data lives in resources/formulary.toml (domain.md §2.2: keep the formulary as data);
this module only checks and types the already-parsed TOML, so a bad data file fails
loudly at start-up rather than producing a wrong regimen later.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from enum import StrEnum

FORMULARY_SCHEMA = "isotrack.formulary/1"


class FoodRequirement(StrEnum):
    """How capsules are taken (domain.md §2.1)."""

    WITH_MEAL = "with_meal"
    WITH_OR_WITHOUT_MEAL = "with_or_without_meal"


FOOD_INSTRUCTIONS: Mapping[FoodRequirement, str] = {
    FoodRequirement.WITH_MEAL: (
        "Take each dose with a meal; absorption drops markedly without food."
    ),
    FoodRequirement.WITH_OR_WITHOUT_MEAL: "May be taken with or without meals.",
}
"""Wording a nurse can read out (domain.md §2.1 Food); both swallow whole with liquid."""


class UnknownProduct(LookupError):
    """A product name not in the formulary; the message lists the known names."""

    def __init__(self, name: str, known: Sequence[str]) -> None:
        self.name = name
        self.known = tuple(known)
        super().__init__(f"Unknown product {name!r}. Known products: {', '.join(self.known)}.")


@dataclass(frozen=True, slots=True)
class Excipient:
    """An ingredient some patients must avoid; `strengths_mg` empty means every capsule."""

    name: str
    note: str
    strengths_mg: frozenset[int] = frozenset()

    def applies_to(self, strength_mg: int) -> bool:
        return not self.strengths_mg or strength_mg in self.strengths_mg


@dataclass(frozen=True, slots=True)
class Product:
    """One product (domain.md §2.1, §2.2). Strengths are whole mg, ascending."""

    name: str
    display_name: str
    strengths_mg: tuple[int, ...]
    food: FoodRequirement
    usual_min_mg_per_kg_day: Decimal
    usual_max_mg_per_kg_day: Decimal
    max_mg_per_kg_day: Decimal
    is_low_dose_formulation: bool = False
    not_interchangeable_with: tuple[str, ...] = ()
    """Names of products this one must never be swapped for (domain.md §2.1)."""
    excipients: tuple[Excipient, ...] = ()
    not_interchangeable_display: tuple[str, ...] = ()
    """Display names matching `not_interchangeable_with`, filled in by the formulary."""

    @property
    def food_instruction(self) -> str:
        return FOOD_INSTRUCTIONS[self.food]


@dataclass(frozen=True, slots=True)
class Formulary:
    products: tuple[Product, ...]

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(p.name for p in self.products)

    def find(self, name: str) -> Product | None:
        """Lookup tolerant of case and spaces: "Absorica LD" finds `absorica-ld`."""
        wanted = normalize_product_name(name)
        return next((p for p in self.products if p.name == wanted), None)

    def product(self, name: str) -> Product:
        found = self.find(name)
        if found is None:
            raise UnknownProduct(name, self.names)
        return found


def normalize_product_name(name: str) -> str:
    return "-".join(name.strip().lower().replace("_", " ").replace("-", " ").split())


def formulary_from_toml(data: Mapping[str, object]) -> Formulary:
    """Check and type the parsed formulary file. Raises ValueError naming the bad entry."""
    if data.get("schema") != FORMULARY_SCHEMA:
        raise ValueError(f"formulary: schema must be {FORMULARY_SCHEMA!r}")
    table = _table(data.get("products"), "formulary: products")
    products = tuple(
        _product(name, _table(entry, f"product {name}")) for name, entry in table.items()
    )
    display = {p.name: p.display_name for p in products}
    for product in products:
        unknown = set(product.not_interchangeable_with) - set(display)
        if unknown:
            raise ValueError(f"product {product.name}: unknown not_interchangeable_with {unknown}")
    return Formulary(
        tuple(
            replace(
                p, not_interchangeable_display=tuple(display[n] for n in p.not_interchangeable_with)
            )
            for p in products
        )
    )


_PRODUCT_KEYS = frozenset(
    {
        "display_name",
        "strengths_mg",
        "food",
        "usual_mg_per_kg_day",
        "max_mg_per_kg_day",
        "low_dose_formulation",
        "not_interchangeable_with",
        "excipients",
    }
)


def _product(name: str, entry: Mapping[str, object]) -> Product:
    where = f"product {name}"
    if extra := set(entry) - _PRODUCT_KEYS:
        raise ValueError(f"{where}: unknown keys {sorted(extra)}")
    strengths = _strengths(entry.get("strengths_mg"), where)
    usual = _list(entry.get("usual_mg_per_kg_day"), f"{where}: usual_mg_per_kg_day")
    if len(usual) != 2:
        raise ValueError(f"{where}: usual_mg_per_kg_day must be [low, high]")
    low, high = (_decimal(v, f"{where}: usual_mg_per_kg_day") for v in usual)
    maximum = _decimal(entry.get("max_mg_per_kg_day"), f"{where}: max_mg_per_kg_day")
    if not 0 < low <= high <= maximum:
        raise ValueError(f"{where}: need 0 < usual low <= usual high <= maximum")
    excipients = tuple(
        _excipient(_table(e, f"{where}: excipient"), where, strengths)
        for e in _list(entry.get("excipients", []), f"{where}: excipients")
    )
    return Product(
        name=name,
        display_name=_text(entry.get("display_name"), f"{where}: display_name"),
        strengths_mg=strengths,
        food=_food(entry.get("food"), f"{where}: food"),
        usual_min_mg_per_kg_day=low,
        usual_max_mg_per_kg_day=high,
        max_mg_per_kg_day=maximum,
        is_low_dose_formulation=entry.get("low_dose_formulation", False) is True,
        not_interchangeable_with=tuple(
            _text(n, f"{where}: not_interchangeable_with")
            for n in _list(entry.get("not_interchangeable_with", []), where)
        ),
        excipients=excipients,
    )


def _excipient(entry: Mapping[str, object], where: str, strengths: tuple[int, ...]) -> Excipient:
    applies = _list(entry.get("strengths_mg", []), f"{where}: excipient strengths_mg")
    chosen = frozenset(_whole_mg(v, f"{where}: excipient strength") for v in applies)
    if not chosen <= set(strengths):
        raise ValueError(f"{where}: excipient names a strength the product does not have")
    return Excipient(
        name=_text(entry.get("name"), f"{where}: excipient name"),
        note=_text(entry.get("note"), f"{where}: excipient note"),
        strengths_mg=chosen,
    )


def _food(value: object, where: str) -> FoodRequirement:
    known = [f.value for f in FoodRequirement]
    if value not in known:
        raise ValueError(f"{where}: {value!r} is not one of {known}")
    return FoodRequirement(value)


def _strengths(value: object, where: str) -> tuple[int, ...]:
    strengths = tuple(_whole_mg(v, f"{where}: strengths_mg") for v in _list(value, where))
    if not strengths or list(strengths) != sorted(set(strengths)):
        raise ValueError(f"{where}: strengths_mg must be ascending, distinct and not empty")
    return strengths


def _whole_mg(value: object, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ValueError(f"{where}: {value!r} is not a positive whole number of mg")
    return value


def _decimal(value: object, where: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, int | float | Decimal):
        raise ValueError(f"{where}: {value!r} is not a number")
    return Decimal(str(value))


def _text(value: object, where: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValueError(f"{where}: expected text")
    return value


def _list(value: object, where: str) -> list[object]:
    if not isinstance(value, list):
        raise ValueError(f"{where}: expected a list")
    return value


def _table(value: object, where: str) -> Mapping[str, object]:
    if not isinstance(value, dict):
        raise ValueError(f"{where}: expected a table")
    return value
