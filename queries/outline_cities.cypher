// List every city's id, names, country and coordinates (the network's outline), ordered
// by id.
// Parameters: none
MATCH (n:City)
RETURN n {.id, .name, .name_local, .country, .lat, .lon} AS record
ORDER BY n.id
