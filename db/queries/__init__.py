"""Read helpers: functions (session, …) -> rows; they never commit."""
