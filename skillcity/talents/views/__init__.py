"""Talent pages, one module per audience."""
