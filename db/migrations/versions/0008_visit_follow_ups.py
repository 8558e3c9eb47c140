"""same-day follow-ups recorded as done

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 02:00:00.000000

A new table only: no existing row changes. A visit flagged before this revision stays on the
worklist until a follow-up is recorded for it or a later visit clears it, as before.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "visit_follow_ups",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("visit_id", sa.Integer(), nullable=False),
        sa.Column("done_on", sa.Date(), nullable=False),
        sa.Column("outcome", sa.String(length=2000), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("recorded_by_name", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_visit_follow_ups_course_id_courses"),
            ondelete="RESTRICT",
        ),
        sa.ForeignKeyConstraint(
            ["visit_id"],
            ["visits.id"],
            name=op.f("fk_visit_follow_ups_visit_id_visits"),
            ondelete="RESTRICT",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_visit_follow_ups")),
    )
    with op.batch_alter_table("visit_follow_ups", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_visit_follow_ups_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_visit_follow_ups_visit_id"), ["visit_id"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("visit_follow_ups", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_visit_follow_ups_visit_id"))
        batch_op.drop_index(batch_op.f("ix_visit_follow_ups_course_id"))

    op.drop_table("visit_follow_ups")
