"""Selectors of the platforms' bases part."""
