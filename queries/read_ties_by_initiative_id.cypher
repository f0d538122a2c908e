// Read the ties made under the given initiatives, ordered by id.
// The index hint keeps the plan a seek whatever the planner's statistics say (on a new
// or just rewritten database it would scan the whole index for each row otherwise).
// Parameters: $ids (list of strings: initiative ids)
UNWIND $ids AS id
MATCH (:Institution)-[t:COOPERATES_WITH {initiative_id: id}]->(:Institution)
USING INDEX SEEK t:COOPERATES_WITH(initiative_id)
RETURN t {.*} AS record
ORDER BY t.id
