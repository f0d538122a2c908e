// Insert or replace cities, one batch of rows, and link each to the institutions located
// in it (same place_key: the slug of country and city name, computed by netmap).
// Each row holds every stored property of the city: absent ones are removed.
// Parameters: $rows (list of maps: the city's fields, version, updated_at, place_key)
UNWIND $rows AS row
MERGE (c:City {id: row.id})
SET c = row
WITH c
OPTIONAL MATCH (c)<-[moved:LOCATED_IN]-(i:Institution)
WHERE i.place_key IS NULL OR i.place_key <> c.place_key
DELETE moved
WITH DISTINCT c
MATCH (i:Institution {place_key: c.place_key})
MERGE (i)-[:LOCATED_IN]->(c)
