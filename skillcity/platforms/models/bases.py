"""Models of the platforms' bases part."""
