"""Staff accounts, for administrators."""
