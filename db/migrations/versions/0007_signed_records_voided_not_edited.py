"""signed consents and counselling confirmations are voided with a reason, never edited

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-23 10:00:00.000000

Every row signed so far stays as it was and stays valid: the new columns are empty (not
voided, replacing nothing), and the check that a void always carries who, when, why and a
signature holds for them.

SQLite adds the foreign key, unique and check constraints by rebuilding each table in batch
mode (foreign keys off: TECH-NOTES §3.4; neither table has children other than its own
corrections). A later batch rebuild of either table keeps the check constraint only if it
names it again, as 0006 says of its expression index.
"""

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

TABLES = ("consent_signatures", "counseling_confirmations")

# As in db/models/voidable.py at this revision (a migration never imports the models).
VOID_HAS_REASON = (
    "(voided_at IS NULL AND voided_by_name IS NULL AND void_reason IS NULL"
    " AND void_signature_hash IS NULL)"
    " OR (voided_at IS NOT NULL AND voided_by_name IS NOT NULL AND void_reason IS NOT NULL"
    " AND void_reason <> '' AND void_signature_hash IS NOT NULL)"
)


def _batch(table: str) -> Any:
    """Batch mode reflecting only `table`: reflecting the tables it refers to would read
    `patients`, whose expression index (0006) SQLite cannot reflect."""
    return op.batch_alter_table(table, schema=None, reflect_kwargs={"resolve_fks": False})


def upgrade() -> None:
    for table in TABLES:
        with _batch(table) as batch_op:
            batch_op.add_column(sa.Column("voided_at", sa.DateTime(timezone=True), nullable=True))
            batch_op.add_column(sa.Column("voided_by_name", sa.String(length=120), nullable=True))
            batch_op.add_column(sa.Column("void_reason", sa.String(length=500), nullable=True))
            batch_op.add_column(
                sa.Column("void_signature_hash", sa.String(length=64), nullable=True)
            )
            batch_op.add_column(sa.Column("replaces_id", sa.Integer(), nullable=True))
            batch_op.create_unique_constraint(op.f(f"uq_{table}_replaces_id"), ["replaces_id"])
            batch_op.create_foreign_key(
                op.f(f"fk_{table}_replaces_id"),
                table,
                ["replaces_id"],
                ["id"],
                ondelete="RESTRICT",
            )
            batch_op.create_check_constraint(op.f(f"ck_{table}_void_has_reason"), VOID_HAS_REASON)


def downgrade() -> None:
    for table in reversed(TABLES):
        with _batch(table) as batch_op:
            batch_op.drop_constraint(op.f(f"ck_{table}_void_has_reason"), type_="check")
            batch_op.drop_constraint(op.f(f"fk_{table}_replaces_id"), type_="foreignkey")
            batch_op.drop_constraint(op.f(f"uq_{table}_replaces_id"), type_="unique")
            batch_op.drop_column("replaces_id")
            batch_op.drop_column("void_signature_hash")
            batch_op.drop_column("void_reason")
            batch_op.drop_column("voided_by_name")
            batch_op.drop_column("voided_at")
