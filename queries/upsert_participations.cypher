// Insert or replace participations, one batch of rows: a PARTICIPATES_IN relationship
// from the institution to the initiative, with its role. One whose ends changed is moved.
// Returns how many rows were written: fewer than sent means an end is missing.
// Each row holds every stored property of the participation: absent ones are removed.
// The index hint keeps the plan a seek whatever the planner's statistics say (on a new
// or just rewritten database it would scan the whole index for each row otherwise).
// Parameters: $rows (list of maps: the participation's fields, version, updated_at)
UNWIND $rows AS row
MATCH (i:Institution {id: row.institution_id})
MATCH (v:Initiative {id: row.initiative_id})
OPTIONAL MATCH (x:Institution)-[moved:PARTICIPATES_IN {id: row.id}]->(y:Initiative)
USING INDEX SEEK moved:PARTICIPATES_IN(id)
WHERE x <> i OR y <> v
DELETE moved
WITH row, i, v
MERGE (i)-[p:PARTICIPATES_IN {id: row.id}]->(v)
SET p = row
RETURN count(p) AS written
