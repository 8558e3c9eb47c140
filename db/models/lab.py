"""Laboratory orders and results (domain.md §3): one row per panel drawn."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base


class LabResultRow(Base):
    __tablename__ = "lab_results"

    id: Mapped[int] = mapped_column(primary_key=True)
    course_id: Mapped[int] = mapped_column(
        ForeignKey("courses.id", ondelete="RESTRICT"), index=True
    )
    panel: Mapped[str] = mapped_column(String(40))
    ordered_on: Mapped[date | None]
    drawn_on: Mapped[date | None]
    results_json: Mapped[str] = mapped_column(Text, default="{}")
    """{analyte: {"value": "412", "unit": "mg/dL", "lower_limit": "0", "upper_limit": "150"}},
    numbers as typed, a limit the lab did not give left out; rows saved before the analyte
    catalogue hold flat keys ({"triglycerides_mg_dl": "412"}) and still read."""
    recorded_at: Mapped[datetime]
    recorded_by_name: Mapped[str] = mapped_column(String(120))
