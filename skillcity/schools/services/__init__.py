"""Services of the schools."""
