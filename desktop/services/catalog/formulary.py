"""Loads resources/formulary.toml into the formulary the dosing rules use."""

import tomllib
from decimal import Decimal
from functools import cache

from desktop.rules.formulary import Formulary, formulary_from_toml
from desktop.services.catalog import read_text

FORMULARY_FILE = "formulary.toml"


@cache
def load_formulary() -> Formulary:
    """Read once per process; decimals in the file stay exact (parse_float=Decimal).
    A malformed file raises ValueError naming the bad entry: a packaging fault, not user input."""
    return formulary_from_toml(tomllib.loads(read_text(FORMULARY_FILE), parse_float=Decimal))
