"""Monthly visits: what was checked, asked and decided (domain.md §4.3)."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, VersionedMixin


class VisitRow(VersionedMixin, Base):
    __tablename__ = "visits"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    seen_on: Mapped[date]
    weight_id: Mapped[int | None] = mapped_column(ForeignKey("weights.id", ondelete="RESTRICT"))
    missed_doses: Mapped[int] = mapped_column(Integer, default=0)
    side_effects_json: Mapped[str] = mapped_column(Text, default="[]")
    mood_json: Mapped[str] = mapped_column(Text, default="{}")
    counseling_topics_json: Mapped[str] = mapped_column(Text, default="[]")
    dose_decision: Mapped[str] = mapped_column(Text, default="")
    notes: Mapped[str] = mapped_column(Text, default="")
    next_visit_on: Mapped[date | None]
    created_at: Mapped[datetime]
