"""Back up the clinic database from the app."""
