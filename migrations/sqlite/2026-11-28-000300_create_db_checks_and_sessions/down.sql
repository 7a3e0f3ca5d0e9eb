DROP INDEX refresh_tokens_open;
DROP TABLE sessions;
DROP TABLE db_upkeep;
DROP TRIGGER db_check_records_no_delete;
DROP TRIGGER db_check_records_no_update;
DROP TABLE db_check_records;
DROP TABLE db_snapshots;
