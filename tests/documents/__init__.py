"""Tests for the documents layer."""
