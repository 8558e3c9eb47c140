"""Tests for the rules layer."""
