// Read the contacts of the given institutions, ordered by id.
// Parameters: $ids (list of strings: institution ids)
UNWIND $ids AS id
MATCH (c:Contact {institution_id: id})
RETURN c {.*} AS record
ORDER BY c.id
