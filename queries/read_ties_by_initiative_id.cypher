// Read the ties made under the given initiatives, ordered by id.
// Parameters: $ids (list of strings: initiative ids)
UNWIND $ids AS id
MATCH (:Institution)-[t:COOPERATES_WITH {initiative_id: id}]->(:Institution)
RETURN t {.*} AS record
ORDER BY t.id
