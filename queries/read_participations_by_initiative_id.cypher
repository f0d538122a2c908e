// Read the participations in the given initiatives, ordered by id.
// Parameters: $ids (list of strings: initiative ids)
UNWIND $ids AS id
MATCH (:Institution)-[p:PARTICIPATES_IN]->(:Initiative {id: id})
RETURN p {.*} AS record
ORDER BY p.id
