ALTER TABLE users DROP COLUMN demo;
ALTER TABLE organisations DROP COLUMN demo;
