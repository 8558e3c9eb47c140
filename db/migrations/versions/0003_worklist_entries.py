"""worklist entries kept per course

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 00:03:21.292586
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "worklist_computations",
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("computed_on", sa.Date(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_worklist_computations_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("course_id", name=op.f("pk_worklist_computations")),
    )
    op.create_table(
        "worklist_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("course_id", sa.Integer(), nullable=False),
        sa.Column("patient_id", sa.Integer(), nullable=False),
        sa.Column("computed_on", sa.Date(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("severity", sa.String(length=10), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["course_id"],
            ["courses.id"],
            name=op.f("fk_worklist_entries_course_id_courses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_worklist_entries")),
    )
    with op.batch_alter_table("worklist_entries", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_worklist_entries_course_id"), ["course_id"], unique=False
        )
        batch_op.create_index("ix_worklist_entries_due_on", ["due_on"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_worklist_entries_patient_id"), ["patient_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("worklist_entries", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_worklist_entries_patient_id"))
        batch_op.drop_index("ix_worklist_entries_due_on")
        batch_op.drop_index(batch_op.f("ix_worklist_entries_course_id"))

    op.drop_table("worklist_entries")
    op.drop_table("worklist_computations")
