"""Clinic settings: one row, edited by admins (letterhead, time zone, rule-set dates)."""

from datetime import date

from sqlalchemy import Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, VersionedMixin

CLINIC_ROW_ID = 1


class ClinicSettings(VersionedMixin, Base):
    __tablename__ = "clinic_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    clinic_name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(String(60), default="")
    logo_png: Mapped[bytes | None] = mapped_column(LargeBinary)
    time_zone: Mapped[str] = mapped_column(String(64))
    ipledge_2026_effective_on: Mapped[date]
    idle_lock_minutes: Mapped[int] = mapped_column(Integer)
