// Create new institutions, one batch of rows (ids the store found absent in this
// transaction), and link each to its city (the City with the same place_key, if any).
// Cheaper than upsert_institutions for a first import: nothing to merge, move or unlink.
// Parameters: $rows (list of maps: the institution's fields, version, updated_at, place_key)
UNWIND $rows AS row
CREATE (i:Institution)
SET i = row
WITH i
MATCH (c:City {place_key: i.place_key})
CREATE (i)-[:LOCATED_IN]->(c)
