"""Analysis engines that run the same named SQL over dataset tables (DuckDB, Spark)."""
