"""Reusable input widgets: dates, passwords, search."""
