// Create new contacts, one batch of rows (ids the store found absent in this
// transaction), each working at its institution. Returns how many rows were written:
// fewer than sent means an institution is missing.
// Parameters: $rows (list of maps: the contact's fields, version, updated_at)
UNWIND $rows AS row
MATCH (i:Institution {id: row.institution_id})
CREATE (c:Contact)-[:WORKS_AT]->(i)
SET c = row
RETURN count(c) AS written
