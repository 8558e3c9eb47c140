"""Tests for the ui layer."""
