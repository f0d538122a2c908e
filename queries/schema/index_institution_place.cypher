// Find institutions by country, and by country and city (directory, coverage by city).
// Parameters: none
CREATE INDEX netmap_institution_place IF NOT EXISTS
FOR (n:Institution) ON (n.country, n.city)
