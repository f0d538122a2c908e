// Read the ties that end at the given institutions, ordered by id.
// Parameters: $ids (list of strings: institution ids)
UNWIND $ids AS id
MATCH (:Institution)-[t:COOPERATES_WITH]->(:Institution {id: id})
RETURN t {.*} AS record
ORDER BY t.id
