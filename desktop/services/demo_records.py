"""What the demo modules pass between them: the clinic a demo is loaded into, a synthetic
patient, and one course's rows before they are inserted."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from desktop.rules.consents import ConsentForm
from desktop.rules.formulary import Formulary
from desktop.rules.patients import RiskCategory


@dataclass(frozen=True, slots=True)
class DemoClinic:
    formulary: Formulary
    today: date
    """The demo clinic's date (`--on`): nothing is recorded after it."""
    prescriber_id: int
    prescriber_name: str
    recorded_by: str
    modification_effective_on: date
    """The clinic's iPLEDGE change date (domain.md §0): patients who cannot get pregnant have
    counselling confirmed monthly only before it (§1.4)."""
    template_version: Callable[[ConsentForm, date], str]
    """The consent template version in force on a signing day."""


@dataclass(frozen=True, slots=True)
class DemoPatient:
    id: int
    birth_date: date
    category: RiskCategory
    guardian_name: str
    """Who signs with the patient on a day the patient is under 18 (domain.md §5)."""
    guardian_relationship: str


@dataclass(slots=True)
class DemoCourse:
    """One course and its fact rows (dicts for Core inserts, without course_id yet)."""

    course: dict[str, Any]
    facts: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    consents: list[dict[str, Any]] = field(default_factory=list)

    def add(self, table: str, **values: Any) -> None:
        self.facts.setdefault(table, []).append(values)
