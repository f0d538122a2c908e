// Contacts not verified for over a year, or never: whom to call to keep the directory
// true. A partial date counts as recent when it could be within the year (2025-03 is
// recent on 2026-03-15, 2025-02 is not).
// Parameters: none
WITH toString(date() - duration({years: 1})) AS cutoff
MATCH (c:Contact)-[:WORKS_AT]->(i:Institution)
WHERE c.last_verified IS NULL OR c.last_verified < substring(cutoff, 0, size(c.last_verified))
RETURN c.id AS id, c.name AS name, c.role AS role, i.name AS institution,
  i.country AS country, c.last_verified AS last_verified, c.verified_by AS verified_by
ORDER BY coalesce(last_verified, ''), country, institution, name
