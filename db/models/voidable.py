"""Signed records are never edited in place (issue 6, item 11): a correction voids the signed
row, keeping every value it held, and a corrected row points at the one it replaces."""

from datetime import datetime
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKey, String
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

VOID_REASON_LENGTH = 500

VOID_HAS_REASON = (
    "(voided_at IS NULL AND voided_by_name IS NULL AND void_reason IS NULL"
    " AND void_signature_hash IS NULL)"
    " OR (voided_at IS NOT NULL AND voided_by_name IS NOT NULL AND void_reason IS NOT NULL"
    " AND void_reason <> '' AND void_signature_hash IS NOT NULL)"
)
"""A void is all or nothing: who, when, why and their signature, the reason never blank."""


class VoidableMixin:
    """`voided_at` None: the signature stands. `replaces_id`: the voided row this one
    corrects (at most one row replaces another)."""

    voided_at: Mapped[datetime | None]
    voided_by_name: Mapped[str | None] = mapped_column(String(120))
    void_reason: Mapped[str | None] = mapped_column(String(VOID_REASON_LENGTH))
    void_signature_hash: Mapped[str | None] = mapped_column(String(64))

    @declared_attr
    def replaces_id(cls) -> Mapped[int | None]:  # noqa: N805  (declared_attr receives the class)
        table: str = cls.__tablename__  # type: ignore[attr-defined]
        # Named here: the convention's name would pass PostgreSQL's 63 characters.
        key = ForeignKey(f"{table}.id", name=f"fk_{table}_replaces_id", ondelete="RESTRICT")
        return mapped_column(key, unique=True)

    @declared_attr.directive
    def __table_args__(cls) -> tuple[Any, ...]:  # noqa: N805
        return (CheckConstraint(VOID_HAS_REASON, name="void_has_reason"),)
