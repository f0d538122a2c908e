// Return which of the given ids a stored participation has.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (:Institution)-[r:PARTICIPATES_IN {id: id}]->(:Initiative)
RETURN r.id AS id
