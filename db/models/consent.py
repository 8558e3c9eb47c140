"""Consents signed, with the exact template version (domain.md §5), and documents printed."""

from datetime import date, datetime

from sqlalchemy import ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base
from db.models.voidable import VoidableMixin


class ConsentSignatureRow(VoidableMixin, Base):
    """A signed form as recorded. Never edited: a correction voids it (kept, with the
    reason) and records the corrected signature as a new row that `replaces_id` it."""

    __tablename__ = "consent_signatures"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="RESTRICT"), index=True
    )
    course_id: Mapped[int | None] = mapped_column(ForeignKey("courses.id", ondelete="RESTRICT"))
    form: Mapped[str] = mapped_column(String(40))
    template_version: Mapped[str] = mapped_column(String(20))
    signed_on: Mapped[date]
    guardian_name: Mapped[str] = mapped_column(String(200), default="")
    guardian_relationship: Mapped[str] = mapped_column(String(60), default="")
    witness_name: Mapped[str] = mapped_column(String(200), default="")
    prescriber_name: Mapped[str] = mapped_column(String(120), default="")
    recorded_at: Mapped[datetime]
    recorded_by_name: Mapped[str] = mapped_column(String(120))
    signature_hash: Mapped[str] = mapped_column(String(64), default="")


class PrintedDocumentRow(Base):
    """Who printed which document, which template versions it held, for whom (issue 5)."""

    __tablename__ = "printed_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    patient_id: Mapped[int] = mapped_column(
        ForeignKey("patients.id", ondelete="RESTRICT"), index=True
    )
    kind: Mapped[str] = mapped_column(String(40))
    template_versions: Mapped[str] = mapped_column(Text, default="")
    pages: Mapped[int] = mapped_column(Integer)
    sha256: Mapped[str] = mapped_column(String(64))
    printed_at: Mapped[datetime]
    printed_by_name: Mapped[str] = mapped_column(String(120))
