"""Clinic settings, for administrators: name, address, logo, time zone, iPLEDGE date, idle lock."""
