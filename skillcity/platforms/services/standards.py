"""Services of the platforms' standards part."""
