// Read the participations with the given ids (those that exist), with every stored property.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (:Institution)-[r:PARTICIPATES_IN {id: id}]->(:Initiative)
RETURN r {.*} AS record
