// Institutions with no tie at all, and the initiatives they take part in, if any: actors
// the network does not reach, or records whose ties were never entered.
// Parameters: none
MATCH (i:Institution)
WHERE NOT EXISTS { MATCH (i)-[:COOPERATES_WITH]-(:Institution) }
OPTIONAL MATCH (i)-[:PARTICIPATES_IN]->(v:Initiative)
RETURN i.id AS id, i.name AS name, i.sector AS sector, i.country AS country,
  i.city AS city, collect(v.name) AS initiatives
ORDER BY country, city, name
