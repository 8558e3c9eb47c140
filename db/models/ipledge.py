"""iPLEDGE facts of a course: pregnancy tests, contraception, counselling confirmations,
comprehension questions and fills (domain.md §1.8 lists what must be modelled)."""

from datetime import date, datetime

from sqlalchemy import Boolean, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models.voidable import VoidableMixin


class PregnancyTestRow(Base):
    __tablename__ = "pregnancy_tests"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    purpose: Mapped[str] = mapped_column(String(20))
    specimen_on: Mapped[date]
    result: Mapped[str] = mapped_column(String(10))
    setting: Mapped[str | None] = mapped_column(String(10))
    method: Mapped[str | None] = mapped_column(String(10))
    verified_by: Mapped[str] = mapped_column(String(120), default="")
    verification_method: Mapped[str | None] = mapped_column(String(30))
    clia_certified_lab: Mapped[bool | None] = mapped_column(Boolean)
    recorded_at: Mapped[datetime]
    recorded_by_name: Mapped[str] = mapped_column(String(120))


class ContraceptionRow(Base):
    __tablename__ = "contraception_periods"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    starts_on: Mapped[date]
    primary_method: Mapped[str | None] = mapped_column(String(30))
    secondary_method: Mapped[str | None] = mapped_column(String(30))
    abstinence: Mapped[bool] = mapped_column(Boolean, default=False)
    recorded_at: Mapped[datetime]
    recorded_by_name: Mapped[str] = mapped_column(String(120))


class CounselingConfirmationRow(VoidableMixin, Base):
    """The prescriber confirmed counselling in iPLEDGE (prescriber only, domain.md §1.4).
    Signed, so never edited: a correction voids it and a new row `replaces_id` it."""

    __tablename__ = "counseling_confirmations"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    confirmed_on: Mapped[date]
    prescriber_id: Mapped[int] = mapped_column(ForeignKey("staff_users.id", ondelete="RESTRICT"))
    recorded_at: Mapped[datetime]
    signature_hash: Mapped[str] = mapped_column(String(64), default="")


class ComprehensionRow(Base):
    """The patient answered the iPLEDGE comprehension questions (domain.md §1.4)."""

    __tablename__ = "comprehension_answers"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    answered_on: Mapped[date]
    recorded_at: Mapped[datetime]
    recorded_by_name: Mapped[str] = mapped_column(String(120))


class FillRow(Base):
    """A prescription filled at the pharmacy (RMA obtained), at most 30 days' supply (§1.6)."""

    __tablename__ = "fills"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    filled_on: Mapped[date]
    days_supply: Mapped[int] = mapped_column(Integer)
    capsules: Mapped[int | None] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    recorded_at: Mapped[datetime]
    recorded_by_name: Mapped[str] = mapped_column(String(120))
