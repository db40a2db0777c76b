"""Services of the platforms' experts part."""
