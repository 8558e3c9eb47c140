"""Tests for the services layer."""
