// Insert or replace initiatives, one batch of rows.
// Each row holds every stored property of the initiative: absent ones are removed.
// Parameters: $rows (list of maps: the initiative's fields, version, updated_at)
UNWIND $rows AS row
MERGE (v:Initiative {id: row.id})
SET v = row
