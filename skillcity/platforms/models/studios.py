"""Models of the platforms' studios part."""
