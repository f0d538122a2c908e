// List every source with its stored properties, ordered by id.
// Parameters: none
MATCH (n:Source)
RETURN n {.*} AS record
ORDER BY n.id
