"""ORM models, one module per area."""
