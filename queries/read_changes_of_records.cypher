// Return the create and update entries of the change log about the records of one kind
// with the given ids, oldest first: when each field of them was last set (the values in
// `fields` are not used, only their names).
// Parameters: $kind (string: table name, e.g. 'institutions'), $ids (list of strings)
UNWIND $ids AS id
MATCH (c:Change {record_id: id})
WHERE c.kind = $kind AND c.action IN ['create', 'update']
RETURN c.record_id AS record_id, c.action AS action, c.fields AS fields, c.at AS at,
  c.revision AS revision, c.actor AS actor
ORDER BY c.seq
