// List every institution's id, names, place, sector and evidence (the network's outline),
// ordered by id.
// Parameters: none
MATCH (n:Institution)
RETURN n {.id, .name, .name_local, .country, .city, .sector, .evidence} AS record
ORDER BY n.id
