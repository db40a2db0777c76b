"""Services of the platforms' subbases part."""
