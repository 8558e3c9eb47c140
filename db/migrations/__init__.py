"""Alembic migration environment (script_location db:migrations)."""
