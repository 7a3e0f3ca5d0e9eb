DROP TABLE audit_head;
DROP TRIGGER audit_events_no_update;
DROP TRIGGER audit_events_no_delete;
DROP TABLE audit_events;
