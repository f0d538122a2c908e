// List every institution's id, names, place, sector and evidence (the network's outline),
// ordered by id, as one row holding a list per institution: [id, name, name_local,
// country, city, sector, evidence]. One list of lists reads several times faster through
// the Python driver than a map per record.
// Parameters: none
MATCH (n:Institution)
WITH n
ORDER BY n.id
RETURN collect([n.id, n.name, n.name_local, n.country, n.city, n.sector, n.evidence]) AS rows
