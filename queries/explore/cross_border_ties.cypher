// Cross-border ties by pair of countries: how many ties join institutions of the two
// countries, and of which kinds. A pair with few ties, or none of the kinds that carry
// referral and return, is a gap to look at.
// Parameters: none
MATCH (a:Institution)-[t:COOPERATES_WITH]->(b:Institution)
WHERE a.country <> b.country
WITH
  CASE WHEN a.country < b.country THEN a.country ELSE b.country END AS country_a,
  CASE WHEN a.country < b.country THEN b.country ELSE a.country END AS country_b,
  t
RETURN country_a, country_b, count(t) AS ties, collect(DISTINCT t.kind) AS kinds
ORDER BY ties DESC, country_a, country_b
