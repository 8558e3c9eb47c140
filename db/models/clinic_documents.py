"""What a clinic adds to its consent packets from inside the app (issue 5): its own PDF
forms, and new versions of IsoTrack's consent templates."""

from datetime import date, datetime

from sqlalchemy import Integer, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, VersionedMixin


class ClinicFormRow(VersionedMixin, Base):
    """A PDF form merged into every packet of its audience. Retired, never deleted: the print
    audit names forms by title and sha256, and a retired form stays explainable."""

    __tablename__ = "clinic_forms"

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120))
    audience: Mapped[str] = mapped_column(String(30))
    position: Mapped[int] = mapped_column(Integer)
    """Print order among the active forms, lowest first."""
    pdf: Mapped[bytes] = mapped_column(LargeBinary)
    sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(Integer)
    pages: Mapped[int] = mapped_column(Integer)
    file_name: Mapped[str] = mapped_column(String(255), default="")
    added_at: Mapped[datetime]
    added_by_name: Mapped[str] = mapped_column(String(120))
    retired_at: Mapped[datetime | None]


class ConsentTemplateVersionRow(Base):
    """A consent template version written in the app. Never edited once saved: a reprint must
    show the exact words signed (domain.md §5), so a change is always a new version."""

    __tablename__ = "consent_template_versions"
    __table_args__ = (UniqueConstraint("form", "version"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    form: Mapped[str] = mapped_column(String(40))
    version: Mapped[str] = mapped_column(String(20))
    effective_on: Mapped[date]
    wording_toml: Mapped[str] = mapped_column(Text)
    """The template without id, version and effective_on (those are the columns above), in
    the TOML of resources/consents/README.md."""
    sha256: Mapped[str] = mapped_column(String(64))
    added_at: Mapped[datetime]
    added_by_name: Mapped[str] = mapped_column(String(120))
