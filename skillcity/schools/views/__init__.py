"""Pages of the schools."""
