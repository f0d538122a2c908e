// Return every change-log entry about one record, the newest first.
// Parameters: $record_id (string)
MATCH (c:Change {record_id: $record_id})
RETURN c {.*} AS change
ORDER BY c.seq DESC
