"""Talent reads."""
