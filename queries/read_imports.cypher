// Return the whole import history, oldest first.
// Parameters: none
MATCH (i:Import)
RETURN i {.*} AS import
ORDER BY i.revision
