// List every institution's id, names, place and sector (the network's outline), ordered
// by id.
// Parameters: none
MATCH (n:Institution)
RETURN n {.id, .name, .name_local, .country, .city, .sector} AS record
ORDER BY n.id
