// Return every change-log entry, the newest first.
// Parameters: none
MATCH (c:Change)
WHERE c.seq IS NOT NULL
RETURN c {.*} AS change
ORDER BY c.seq DESC
