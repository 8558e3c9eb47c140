"""Use cases: one unit of work per user action, audited; hands out immutable records."""
