"""Every write of the learning app (one transaction, one audit row each); one module per part."""
