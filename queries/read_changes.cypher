// Return the newest change-log entries first.
// Parameters: $limit (integer: how many at most)
MATCH (c:Change)
WHERE c.seq IS NOT NULL
RETURN c {.*} AS change
ORDER BY c.seq DESC
LIMIT $limit
