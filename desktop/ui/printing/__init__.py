"""Preview, print and save documents, one at a time or as the day's batch."""
