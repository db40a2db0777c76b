"""Selectors of the platforms' experts part."""
