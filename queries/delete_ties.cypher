// Delete the ties with the given ids.
// The index hint keeps the plan a seek whatever the planner's statistics say (on a new
// or just rewritten database it would scan the whole index for each row otherwise).
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (:Institution)-[r:COOPERATES_WITH {id: id}]->(:Institution)
USING INDEX SEEK r:COOPERATES_WITH(id)
DELETE r
