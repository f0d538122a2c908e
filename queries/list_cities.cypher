// List every city with its stored properties, ordered by id.
// Parameters: none
MATCH (n:City)
RETURN n {.*} AS record
ORDER BY n.id
