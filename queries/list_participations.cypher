// List every participation with its stored properties, ordered by id.
// Parameters: none
MATCH (:Institution)-[r:PARTICIPATES_IN]->(:Initiative)
RETURN r {.*} AS record
ORDER BY r.id
