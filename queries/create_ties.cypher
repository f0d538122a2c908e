// Create new ties, one batch of rows (ids the store found absent in this transaction):
// a COOPERATES_WITH relationship from the source to the target institution. Returns how
// many rows were written: fewer than sent means an institution is missing.
// Parameters: $rows (list of maps: the tie's fields, version, updated_at)
UNWIND $rows AS row
MATCH (a:Institution {id: row.source_id})
MATCH (b:Institution {id: row.target_id})
CREATE (a)-[t:COOPERATES_WITH]->(b)
SET t = row
RETURN count(t) AS written
