// List every initiative with its stored properties, ordered by id.
// Parameters: none
MATCH (n:Initiative)
RETURN n {.*} AS record
ORDER BY n.id
