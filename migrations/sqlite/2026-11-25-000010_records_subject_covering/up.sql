-- The portal counts each candidate subject's published public records: with status and publish-until in the index
-- that count is answered from the index alone, without reading a million-row table's rows.
DROP INDEX records_subject;
CREATE INDEX records_subject ON records (subject_id, disclosure_class, status, publish_until);
