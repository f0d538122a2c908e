// Return which of the given ids a stored tie has.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (:Institution)-[r:COOPERATES_WITH {id: id}]->(:Institution)
RETURN r.id AS id
