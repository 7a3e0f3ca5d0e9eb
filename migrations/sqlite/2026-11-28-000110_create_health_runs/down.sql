DROP TABLE audit_verifications;
DROP TABLE health_runs;
