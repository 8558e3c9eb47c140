"""Treatment courses and the dated facts a course accumulates (dose periods, weights, missed
days, pauses). Clinical facts are rows of their own so each has its own audit entry."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import Boolean, ForeignKey, Index, Integer, Numeric, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, VersionedMixin


class Course(VersionedMixin, Base):
    __tablename__ = "courses"
    __table_args__ = (
        UniqueConstraint("patient_id", "number", name="uq_courses_patient_number"),
        Index("ix_courses_status", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(ForeignKey("patients.id", ondelete="RESTRICT"))
    number: Mapped[int] = mapped_column(Integer)
    """1 for the patient's first course, 2 for the next …"""
    status: Mapped[str] = mapped_column(String(20))
    """active, paused or ended (ended courses stay listed for post-course follow-up)."""
    product: Mapped[str] = mapped_column(String(40))
    start_on: Mapped[date]
    last_dose_on: Mapped[date | None]
    target_mg_per_kg: Mapped[Decimal] = mapped_column(Numeric(6, 1))
    lab_protocol: Mapped[str] = mapped_column(String(40))
    prescriber_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="RESTRICT"))
    ipledge_enrolled_on: Mapped[date | None]
    home_tests_allowed: Mapped[bool] = mapped_column(Boolean, default=False)
    """The prescriber allows home pregnancy tests where the rule set permits (domain.md §1.4)."""
    override_reason: Mapped[str] = mapped_column(Text, default="")
    """Set when a prescriber overrode a hard stop (for example an early second course)."""
    created_at: Mapped[datetime]


class CoursePause(Base):
    __tablename__ = "course_pauses"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    paused_on: Mapped[date]
    pause_reason: Mapped[str] = mapped_column(Text)
    resumed_on: Mapped[date | None]
    resume_reason: Mapped[str] = mapped_column(Text, default="")


class DosePeriodRow(Base):
    __tablename__ = "dose_periods"
    __table_args__ = (UniqueConstraint("course_id", "starts_on", name="uq_dose_periods_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    starts_on: Mapped[date]
    product: Mapped[str] = mapped_column(String(40))
    mg_per_day: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    am_mg: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    pm_mg: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    reason: Mapped[str] = mapped_column(Text, default="")
    prescriber_override: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime]
    recorded_by_name: Mapped[str] = mapped_column(String(120))


class WeightRow(Base):
    __tablename__ = "weights"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    measured_on: Mapped[date]
    weight_kg: Mapped[Decimal] = mapped_column(Numeric(9, 4))
    entered_value: Mapped[Decimal] = mapped_column(Numeric(9, 3))
    entered_unit: Mapped[str] = mapped_column(String(2))
    """What the nurse typed, kept exactly: "kg" or "lb"."""


class MissedDoseRow(Base):
    __tablename__ = "missed_doses"
    __table_args__ = (UniqueConstraint("course_id", "missed_on", name="uq_missed_doses_day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    missed_on: Mapped[date]
