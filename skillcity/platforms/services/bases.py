"""Services of the platforms' bases part."""
