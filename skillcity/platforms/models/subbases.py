"""Models of the platforms' subbases part."""
