"""Declarative base: constraint naming, the type map, UTC timestamps and the version counter."""

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import Date, DateTime, Integer, MetaData, Numeric, String
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import DeclarativeBase, Mapped, declared_attr, mapped_column
from sqlalchemy.types import TypeDecorator

# Stable names let Alembic's SQLite batch mode find and drop constraints (TECH-NOTES §3.4).
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UtcDateTime(TypeDecorator[datetime]):
    """An instant stored in UTC. SQLite keeps no zone, so values come back aware again here;
    naive datetimes are refused so local times can never sneak in."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime: event times must be timezone-aware UTC")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: dict[Any, Any] = {  # noqa: RUF012  (SQLAlchemy reads this class attribute)
        datetime: UtcDateTime(),
        date: Date(),
        Decimal: Numeric(10, 3),
        str: String(),
    }


class VersionedMixin:
    """Records several workstations may edit: a stale save fails (SQLAlchemy version_id_col)
    and the last writer is kept, so the refusal can say who changed it and when."""

    version: Mapped[int] = mapped_column(Integer, nullable=False)
    updated_at: Mapped[datetime]
    updated_by_name: Mapped[str] = mapped_column(String(120))

    @declared_attr.directive
    def __mapper_args__(cls) -> dict[str, Any]:  # noqa: N805  (declared_attr receives the class)
        return {"version_id_col": cls.version}
