// Read the ties that start at the given institutions, ordered by id.
// The index hint keeps the plan a seek whatever the planner's statistics say.
// Parameters: $ids (list of strings: institution ids)
UNWIND $ids AS id
MATCH (i:Institution {id: id})-[t:COOPERATES_WITH]->(:Institution)
USING INDEX SEEK i:Institution(id)
RETURN t {.*} AS record
ORDER BY t.id
