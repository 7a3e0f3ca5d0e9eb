DROP INDEX records_subject;
CREATE INDEX records_subject ON records (subject_id, disclosure_class);
