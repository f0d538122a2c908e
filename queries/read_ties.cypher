// Read the ties with the given ids (those that exist), with every stored property.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (:Institution)-[r:COOPERATES_WITH {id: id}]->(:Institution)
RETURN r {.*} AS record
