// Lock one source for an edit or a deletion, and return it if it is still at the version
// the edit was made on (any version when $version is null). No row: missing or changed.
// Setting a property takes the write lock first, so the version compared is the latest
// committed one (Cypher manual, "Concurrent data access").
// Parameters: $id (string), $version (integer or null)
MATCH (n:Source {id: $id})
SET n._LOCK_ = true
REMOVE n._LOCK_
WITH n
WHERE $version IS NULL OR n.version = $version
RETURN n {.*} AS record
