"""Selectors of the schools."""
