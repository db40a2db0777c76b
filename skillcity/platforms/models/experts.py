"""Models of the platforms' experts part."""
