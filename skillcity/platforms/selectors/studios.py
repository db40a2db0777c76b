"""Selectors of the platforms' studios part."""
