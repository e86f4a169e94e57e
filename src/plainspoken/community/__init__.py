"""Community listening: normalized datasets from community dumps, and their analyses."""
