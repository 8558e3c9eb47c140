"""Immutable records that services hand to the UI and the command line (never ORM objects)."""

from dataclasses import dataclass
from datetime import date, datetime

from desktop.rules.patients import RiskCategory, SexAtBirth
from desktop.services.roles import Role


@dataclass(frozen=True, slots=True)
class StaffRecord:
    id: int
    username: str
    display_name: str
    role: Role
    is_active: bool
    version: int


@dataclass(frozen=True, slots=True)
class ClinicSettingsRecord:
    clinic_name: str
    address: str
    phone: str
    has_logo: bool
    time_zone: str
    ipledge_2026_effective_on: date
    idle_lock_minutes: int
    version: int


@dataclass(frozen=True, slots=True)
class PatientRecord:
    id: int
    version: int
    mrn: str
    legal_name: str
    preferred_name: str
    birth_date: date
    sex_at_birth: SexAtBirth
    risk_category: RiskCategory | None
    ipledge_patient_id: str
    phone: str
    email: str
    allergies: str
    has_retinoid_allergy: bool
    is_pregnant_or_breastfeeding: bool
    guardian_name: str
    guardian_relationship: str
    created_at: datetime
    updated_at: datetime
    updated_by_name: str


@dataclass(frozen=True, slots=True)
class PatientListRow:
    id: int
    mrn: str
    legal_name: str
    preferred_name: str
    birth_date: date
    risk_category: RiskCategory | None
    status: str


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True, slots=True)
class AuditRecord:
    seq: int
    at: datetime
    actor_name: str
    workstation: str
    action: str
    entity: str
    entity_id: int | None
    changes: tuple[FieldChange, ...]
    reason: str


@dataclass(frozen=True, slots=True)
class VoidRecord:
    """Why a signed record no longer counts: kept with it and shown beside its old values."""

    voided_at: datetime
    voided_by_name: str
    reason: str


@dataclass(frozen=True, slots=True)
class CounselingConfirmationRecord:
    """A prescriber's signed counselling confirmation (domain.md §1.4), voided or not."""

    id: int
    course_id: int
    confirmed_on: date
    prescriber_id: int
    prescriber_name: str
    recorded_at: datetime
    signature_hash: str
    replaces_id: int | None = None
    """The voided confirmation this one corrects."""
    replaced_by_id: int | None = None
    """The confirmation that corrects this one (it is then voided)."""
    voided: VoidRecord | None = None

    @property
    def counts(self) -> bool:
        return self.voided is None
