// Insert or replace contacts, one batch of rows, each working at its institution.
// Returns how many rows were written: fewer than sent means an institution is missing.
// Each row holds every stored property of the contact: absent ones are removed.
// Parameters: $rows (list of maps: the contact's fields, version, updated_at)
UNWIND $rows AS row
MATCH (i:Institution {id: row.institution_id})
MERGE (c:Contact {id: row.id})
SET c = row
WITH c, i
OPTIONAL MATCH (c)-[moved:WORKS_AT]->(other:Institution)
WHERE other <> i
DELETE moved
WITH DISTINCT c, i
MERGE (c)-[:WORKS_AT]->(i)
RETURN count(c) AS written
