// Read the participations of the given institutions, ordered by id.
// Parameters: $ids (list of strings: institution ids)
UNWIND $ids AS id
MATCH (:Institution {id: id})-[p:PARTICIPATES_IN]->(:Initiative)
RETURN p {.*} AS record
ORDER BY p.id
