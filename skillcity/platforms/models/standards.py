"""Models of the platforms' standards part."""
