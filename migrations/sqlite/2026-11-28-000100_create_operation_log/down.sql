DROP TABLE job_runs;
DROP TABLE operation_log;
