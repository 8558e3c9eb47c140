"""What the patient takes besides isotretinoin, checked for interactions (domain.md §6).
A medication is stopped, never deleted, so the chart keeps what the patient used to take."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, VersionedMixin


class PatientMedication(VersionedMixin, Base):
    __tablename__ = "patient_medications"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="RESTRICT"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    """As the nurse typed it, brand or generic; the interaction rules match either."""
    dose: Mapped[str] = mapped_column(Text, default="")
    """Dose, frequency and notes as free text ("100 mg twice daily")."""
    started_on: Mapped[date | None]
    stopped_on: Mapped[date | None]
    stop_reason: Mapped[str] = mapped_column(Text, default="")
    recorded_by_name: Mapped[str] = mapped_column(String(120))
    created_at: Mapped[datetime]
