"""Talent writes, one module per area; each function is one transaction with its audit row."""
