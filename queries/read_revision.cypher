// Return the store's revision (0 before the first write).
// Parameters: none
OPTIONAL MATCH (m:NetmapMeta {key: 'meta'})
RETURN coalesce(m.revision, 0) AS revision
