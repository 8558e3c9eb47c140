"""The migrations build exactly the schema the models describe (nothing left to autogenerate)."""

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import db.models  # noqa: F401  (registers every table)
from db.base import Base
from db.engine import create_clinic_engine


# SQLite's reflection cannot read an expression index (PostgreSQL's can, and compares it);
# tests/db/test_mrn_any_case.py proves that index on both.
@pytest.mark.filterwarnings(
    "ignore:Skipped unsupported reflection of expression-based index uq_patients_mrn_any_case",
    "ignore:autogenerate skipping metadata-specified expression-based index",
)
def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = create_clinic_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []
