DROP TABLE notices;
ALTER TABLE record_versions DROP COLUMN objection_id;
DROP TABLE record_notes;
DROP TABLE objection_evidence;
DROP TABLE objection_steps;
DROP TABLE objections;
