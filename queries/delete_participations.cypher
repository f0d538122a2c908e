// Delete the participations with the given ids.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (:Institution)-[r:PARTICIPATES_IN {id: id}]->(:Initiative)
DELETE r
