"""Alliance pages, one module per part: alliances (list, detail, lifecycle), members, reports."""
