"""Services of the platforms' studios part."""
