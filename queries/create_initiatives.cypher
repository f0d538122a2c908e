// Create new initiatives, one batch of rows (ids the store found absent in this
// transaction). Cheaper than upsert_initiatives for a first import: nothing to merge.
// Parameters: $rows (list of maps: the initiative's fields, version, updated_at)
UNWIND $rows AS row
CREATE (v:Initiative)
SET v = row
