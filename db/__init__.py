"""Persistence: SQLAlchemy models, engine, audit trail and Alembic migrations."""
