"""Records and drafts for courses and their dated facts."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from desktop.rules.units import WeightUnit


class CourseStatus(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"


@dataclass(frozen=True, slots=True)
class CourseRecord:
    id: int
    version: int
    patient_id: int
    number: int
    status: CourseStatus
    product: str
    start_on: date
    last_dose_on: date | None
    target_mg_per_kg: Decimal
    lab_protocol: str
    prescriber_id: int
    prescriber_name: str
    ipledge_enrolled_on: date | None
    override_reason: str


@dataclass(frozen=True, slots=True)
class CourseDraft:
    """What the start-course dialog produced."""

    patient_id: int
    product: str
    start_on: date | None
    prescriber_id: int | None
    target_mg_per_kg: Decimal | None
    lab_protocol: str
    starting_weight: Decimal | None
    starting_weight_unit: WeightUnit
    starting_mg_per_kg_day: Decimal | None
    ipledge_enrolled_on: date | None = None
    override_reason: str = ""


@dataclass(frozen=True, slots=True)
class DoseChangeDraft:
    course_id: int
    course_version: int
    starts_on: date | None
    mg_per_kg_day: Decimal | None
    product: str
    reason: str
    prescriber_override: bool = False


@dataclass(frozen=True, slots=True)
class WeightDraft:
    course_id: int
    measured_on: date | None
    value: Decimal | None
    unit: WeightUnit


@dataclass(frozen=True, slots=True)
class PrescriberChoice:
    id: int
    display_name: str


@dataclass(frozen=True, slots=True)
class FillRecord:
    """A prescription filled at the pharmacy, as recorded (domain.md §1.6, §1.8)."""

    filled_on: date
    days_supply: int
    capsules: int | None
    """Capsules dispensed; None when not recorded (a course moved in by `course import`)."""


@dataclass(frozen=True, slots=True)
class PauseRecord:
    """A pause of the course with its reasons; `resumed_on` is None while it lasts."""

    paused_on: date
    pause_reason: str
    resumed_on: date | None
    resume_reason: str


@dataclass(frozen=True, slots=True)
class DoseChangeRecord:
    """A dated dose period: from `starts_on`, `mg_per_day` of `product` (AM + PM), why, and
    who recorded it. The course's first dose is one too."""

    starts_on: date
    product: str
    mg_per_day: Decimal
    am_mg: Decimal
    pm_mg: Decimal
    reason: str
    prescriber_override: bool
    recorded_by_name: str
