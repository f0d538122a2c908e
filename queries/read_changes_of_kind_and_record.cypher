// Return every change-log entry about one record of one kind (to scrub on erasure):
// its number, action and fields.
// Parameters: $kind (string: table name, e.g. 'contacts'), $record_id (string)
MATCH (c:Change {record_id: $record_id})
WHERE c.kind = $kind
RETURN c.seq AS seq, c.action AS action, c.fields AS fields
ORDER BY seq
