"""Competition reads."""
