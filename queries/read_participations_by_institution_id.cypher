// Read the participations of the given institutions, ordered by id.
// The index hint keeps the plan a seek whatever the planner's statistics say.
// Parameters: $ids (list of strings: institution ids)
UNWIND $ids AS id
MATCH (i:Institution {id: id})-[p:PARTICIPATES_IN]->(:Initiative)
USING INDEX SEEK i:Institution(id)
RETURN p {.*} AS record
ORDER BY p.id
