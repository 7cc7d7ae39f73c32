"""Reports: item statistics, their stored snapshots and cache, and the report pages' data."""
