// Lock one tie for an edit or a deletion, and return it if it is still at the version
// the edit was made on (any version when $version is null). No row: missing or changed.
// Setting a property takes the write lock first, so the version compared is the latest
// committed one (Cypher manual, "Concurrent data access").
// The index hint keeps the plan a seek whatever the planner's statistics say (on a new
// or just rewritten database it would scan the whole index for each row otherwise).
// Parameters: $id (string), $version (integer or null)
MATCH (:Institution)-[r:COOPERATES_WITH {id: $id}]->(:Institution)
USING INDEX SEEK r:COOPERATES_WITH(id)
SET r._LOCK_ = true
REMOVE r._LOCK_
WITH r
WHERE $version IS NULL OR r.version = $version
RETURN r {.*} AS record
