// Count one more write: add 1 to the store's revision and return the new revision.
// Run once per write transaction, after lock_meta.
// Parameters: none
MATCH (m:NetmapMeta {key: 'meta'})
SET m.revision = m.revision + 1
RETURN m.revision AS revision
