// Insert or replace institutions, one batch of rows, and link each to its city (the City
// with the same place_key, when there is one).
// Each row holds every stored property of the institution: absent ones are removed.
// Parameters: $rows (list of maps: the institution's fields, version, updated_at, place_key)
UNWIND $rows AS row
MERGE (i:Institution {id: row.id})
SET i = row
WITH i
OPTIONAL MATCH (i)-[moved:LOCATED_IN]->(c:City)
WHERE i.place_key IS NULL OR c.place_key <> i.place_key
DELETE moved
WITH DISTINCT i
MATCH (c:City {place_key: i.place_key})
MERGE (i)-[:LOCATED_IN]->(c)
