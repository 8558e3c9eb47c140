"""Monthly visits: what was checked, asked and decided (domain.md §4.3)."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, VersionedMixin

OUTCOME_MAX_CHARACTERS = 2000


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


class VisitFollowUpRow(Base):
    """The same-day follow-up a visit called for was done (domain.md §4.1, §4.2): on which
    day, what was done and who recorded it. Added, never edited, like the course's other
    dated facts, and once per visit (a unique index: two workstations saving at once cannot
    both add one); `course_id` is the visit's course, kept here as every fact table keeps it."""

    __tablename__ = "visit_follow_ups"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    visit_id: Mapped[int] = mapped_column(
        ForeignKey("visits.id", ondelete="RESTRICT"), index=True, unique=True
    )
    done_on: Mapped[date]
    outcome: Mapped[str] = mapped_column(String(OUTCOME_MAX_CHARACTERS))
    recorded_at: Mapped[datetime]
    recorded_by_name: Mapped[str] = mapped_column(String(120))
