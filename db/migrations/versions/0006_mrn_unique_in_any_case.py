"""MRNs unique whatever their letter case: a unique index on lower(mrn)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-22 19:40:00.000000

A database that already holds MRNs differing only in case (a-77 and A-77) is refused before
anything changes, naming them, so a person can decide which patient keeps the MRN.

SQLite cannot reflect an expression index, so a later batch rebuild of `patients` drops this
one: such a migration must create it again (tests/db/test_migrations.py shows how; the test
suite turns the reflection warning into an error, and tests/db/test_mrn_any_case.py fails
when the index is missing at head).
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from db.migrate import MigrationRefused

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_patients_mrn_any_case"
SHOWN_CLASHES = 10


def upgrade() -> None:
    clashes = (
        op.get_bind()
        .execute(
            sa.text(
                "SELECT mrn FROM patients WHERE lower(mrn) IN ("
                " SELECT lower(mrn) FROM patients"
                " GROUP BY lower(mrn) HAVING count(*) > 1)"
                " ORDER BY lower(mrn), mrn"
            )
        )
        .scalars()
        .all()
    )
    if clashes:
        shown = ", ".join(clashes[:SHOWN_CLASHES]) + (" …" if len(clashes) > SHOWN_CLASHES else "")
        raise MigrationRefused(
            f"{len(clashes)} patients have MRNs that differ only in upper and lower case "
            f"({shown}). This IsoTrack treats those as one MRN. Give each patient a distinct "
            "MRN with the IsoTrack version that last opened this database, then upgrade "
            "again; nothing was changed."
        )
    # A plain CREATE INDEX: no batch rebuild of `patients` (TECH-NOTES §3.4).
    op.create_index(INDEX, "patients", [sa.text("lower(mrn)")], unique=True)


def downgrade() -> None:
    op.drop_index(INDEX, table_name="patients")
