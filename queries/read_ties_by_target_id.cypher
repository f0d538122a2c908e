// Read the ties that end at the given institutions, ordered by id.
// The index hint keeps the plan a seek whatever the planner's statistics say.
// Parameters: $ids (list of strings: institution ids)
UNWIND $ids AS id
MATCH (:Institution)-[t:COOPERATES_WITH]->(i:Institution {id: id})
USING INDEX SEEK i:Institution(id)
RETURN t {.*} AS record
ORDER BY t.id
