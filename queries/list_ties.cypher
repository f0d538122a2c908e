// List every tie with its stored properties, ordered by id.
// Parameters: none
MATCH (:Institution)-[r:COOPERATES_WITH]->(:Institution)
RETURN r {.*} AS record
ORDER BY r.id
