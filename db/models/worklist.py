"""The worklist as last computed for each course: kept current by every write to the course
and recomputed daily, so opening the worklist is one indexed query (issue 4: < 200 ms)."""

from datetime import date

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class WorklistEntry(Base):
    __tablename__ = "worklist_entries"
    __table_args__ = (Index("ix_worklist_entries_due_on", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("courses.id", ondelete="CASCADE"), index=True)
    patient_id: Mapped[int] = mapped_column(Integer, index=True)
    computed_on: Mapped[date]
    kind: Mapped[str] = mapped_column(String(40))
    due_on: Mapped[date]
    severity: Mapped[str] = mapped_column(String(10))
    message: Mapped[str] = mapped_column(Text)


class WorklistComputation(Base):
    """When a course's entries were last computed (also for courses with nothing due)."""

    __tablename__ = "worklist_computations"

    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="CASCADE"), primary_key=True
    )
    computed_on: Mapped[date]
