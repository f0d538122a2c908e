// Find the change-log entries about one record.
// Parameters: none
CREATE INDEX netmap_change_record IF NOT EXISTS
FOR (c:Change) ON (c.record_id)
