// Create new cities, one batch of rows (ids the store found absent in this transaction),
// and link each to the institutions already located in it (same place_key).
// Cheaper than upsert_cities for a first import: nothing to merge, move or unlink.
// Parameters: $rows (list of maps: the city's fields, version, updated_at, place_key)
UNWIND $rows AS row
CREATE (c:City)
SET c = row
WITH c
MATCH (i:Institution {place_key: c.place_key})
CREATE (i)-[:LOCATED_IN]->(c)
