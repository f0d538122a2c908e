// Create new sources, one batch of rows (ids the store found absent in this
// transaction). Cheaper than upsert_sources for a first import: nothing to merge.
// Parameters: $rows (list of maps: the source's fields, version, updated_at)
UNWIND $rows AS row
CREATE (s:Source)
SET s = row
