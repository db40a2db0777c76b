"""Selectors of the skill platforms, one module per part."""
