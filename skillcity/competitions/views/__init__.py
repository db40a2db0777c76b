"""Competition pages, one module per audience (organisers, units, judges, players, the public, the bureau)."""
