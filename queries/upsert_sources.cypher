// Insert or replace sources, one batch of rows.
// Each row holds every stored property of the source: absent ones are removed.
// Parameters: $rows (list of maps: the source's fields, version, updated_at)
UNWIND $rows AS row
MERGE (s:Source {id: row.id})
SET s = row
