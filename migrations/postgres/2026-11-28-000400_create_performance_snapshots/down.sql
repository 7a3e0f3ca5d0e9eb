DROP TABLE performance_snapshots;
