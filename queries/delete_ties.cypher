// Delete the ties with the given ids.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (:Institution)-[r:COOPERATES_WITH {id: id}]->(:Institution)
DELETE r
