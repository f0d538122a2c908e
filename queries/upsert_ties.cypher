// Insert or replace ties, one batch of rows: a tie is a COOPERATES_WITH relationship
// from its source to its target institution. A tie whose ends changed is moved (deleted
// and made again with the same id). Returns how many rows were written: fewer than sent
// means an institution is missing.
// Each row holds every stored property of the tie: absent ones are removed.
// The index hint keeps the plan a seek whatever the planner's statistics say (on a new
// or just rewritten database it would scan the whole index for each row otherwise).
// Parameters: $rows (list of maps: the tie's fields, version, updated_at)
UNWIND $rows AS row
MATCH (a:Institution {id: row.source_id})
MATCH (b:Institution {id: row.target_id})
OPTIONAL MATCH (x:Institution)-[moved:COOPERATES_WITH {id: row.id}]->(y:Institution)
USING INDEX SEEK moved:COOPERATES_WITH(id)
WHERE x <> a OR y <> b
DELETE moved
WITH row, a, b
MERGE (a)-[t:COOPERATES_WITH {id: row.id}]->(b)
SET t = row
RETURN count(t) AS written
