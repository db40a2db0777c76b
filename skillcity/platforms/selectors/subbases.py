"""Selectors of the platforms' subbases part."""
