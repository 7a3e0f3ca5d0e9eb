-- Demo data (`credit-api seed-demo`) is flagged, so that demo accounts can be told apart from real ones (they must
-- change their published password outside demo mode) and so that the seeder refuses a database with real data.
ALTER TABLE organisations ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;
ALTER TABLE users ADD COLUMN demo BOOLEAN NOT NULL DEFAULT FALSE;
