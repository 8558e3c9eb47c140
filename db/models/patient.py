"""Patients: demographics, iPLEDGE category and the flags that stop treatment."""

from datetime import date, datetime

from sqlalchemy import Boolean, Index, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, VersionedMixin


class Patient(VersionedMixin, Base):
    __tablename__ = "patients"
    __table_args__ = (Index("ix_patients_birth_date", "birth_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    mrn: Mapped[str] = mapped_column(String(40), unique=True)
    legal_name: Mapped[str] = mapped_column(String(200))
    preferred_name: Mapped[str] = mapped_column(String(200), default="")
    birth_date: Mapped[date]
    sex_at_birth: Mapped[str] = mapped_column(String(20))
    risk_category: Mapped[str | None] = mapped_column(String(40))
    ipledge_patient_id: Mapped[str] = mapped_column(String(40), default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    email: Mapped[str] = mapped_column(String(200), default="")
    allergies: Mapped[str] = mapped_column(Text, default="")
    has_retinoid_allergy: Mapped[bool] = mapped_column(Boolean, default=False)
    is_pregnant_or_breastfeeding: Mapped[bool] = mapped_column(Boolean, default=False)
    guardian_name: Mapped[str] = mapped_column(String(200), default="")
    guardian_relationship: Mapped[str] = mapped_column(String(60), default="")
    search_text: Mapped[str] = mapped_column(Text)
    """Name, preferred name and MRN folded (lower case, accents stripped) for search-as-you-type."""
    created_at: Mapped[datetime]


MRN_ANY_CASE_INDEX = "uq_patients_mrn_any_case"
"""One patient per MRN whatever its letter case: a-77 is A-77 (services store MRNs trimmed)."""
Index(MRN_ANY_CASE_INDEX, func.lower(Patient.mrn), unique=True)
MRN_CONSTRAINTS = ("uq_patients_mrn", MRN_ANY_CASE_INDEX)
"""The constraints a duplicate MRN breaks (the column's own, and the one above)."""
