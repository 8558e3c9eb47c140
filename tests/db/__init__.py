"""Tests for the db layer."""
