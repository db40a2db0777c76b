"""Selectors of the platforms' standards part."""
