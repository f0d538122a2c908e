// Initiatives and their members: each initiative with the institutions taking part, their
// role and country, the largest first.
// Parameters: none
MATCH (v:Initiative)
OPTIONAL MATCH (i:Institution)-[p:PARTICIPATES_IN]->(v)
WITH v, i, p
ORDER BY p.role, i.country, i.name
RETURN v.id AS id, v.name AS initiative, v.kind AS kind, v.start AS starts, v.end AS ends,
  v.countries AS countries, count(i) AS members,
  collect(i {.id, .name, .country, role: p.role}) AS institutions
ORDER BY members DESC, initiative
