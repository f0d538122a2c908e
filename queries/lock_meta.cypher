// Start a write: take the lock on netmap's bookkeeping node (made on first use), so that
// writers queue one behind another, and return the current revision.
// Parameters: none
MERGE (m:NetmapMeta {key: 'meta'})
  ON CREATE SET m.revision = 0, m.last_seq = 0
SET m._LOCK_ = true
REMOVE m._LOCK_
RETURN m.revision AS revision
