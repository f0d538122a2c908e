// Return the newest change-log entries about one record first.
// Parameters: $record_id (string), $limit (integer: how many at most)
MATCH (c:Change {record_id: $record_id})
RETURN c {.*} AS change
ORDER BY c.seq DESC
LIMIT $limit
