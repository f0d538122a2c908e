// Read the ties that start at the given institutions, ordered by id.
// Parameters: $ids (list of strings: institution ids)
UNWIND $ids AS id
MATCH (:Institution {id: id})-[t:COOPERATES_WITH]->(:Institution)
RETURN t {.*} AS record
ORDER BY t.id
