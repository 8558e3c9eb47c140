"""The migrations build exactly the schema the models describe (nothing left to autogenerate)."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext

import db.models  # noqa: F401  (registers every table)
from db.base import Base
from db.engine import create_clinic_engine


def test_migrated_database_matches_the_models(database_url: str) -> None:
    engine = create_clinic_engine(database_url)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"compare_type": True})
            differences = compare_metadata(context, Base.metadata)
    finally:
        engine.dispose()
    assert differences == []
