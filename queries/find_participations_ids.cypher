// Return which of the given ids a stored participation has.
// The index hint keeps the plan a seek whatever the planner's statistics say (on a new
// or just rewritten database it would scan the whole index for each row otherwise).
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (:Institution)-[r:PARTICIPATES_IN {id: id}]->(:Initiative)
USING INDEX SEEK r:PARTICIPATES_IN(id)
RETURN r.id AS id
