DROP INDEX refresh_tokens_open;
DROP TABLE sessions;
DROP TABLE db_upkeep;
DROP TABLE db_check_records;
DROP FUNCTION db_check_records_append_only();
DROP TABLE db_snapshots;
