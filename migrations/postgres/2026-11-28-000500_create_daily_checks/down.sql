DROP TABLE daily_check_items;
DROP TABLE daily_checks;
