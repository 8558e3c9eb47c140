"""Signing in: the first-start setup and the login dialog."""
