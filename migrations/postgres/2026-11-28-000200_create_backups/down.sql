DROP TABLE backups;
DROP TABLE backup_plan;
