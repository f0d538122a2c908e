// List every contact with its stored properties, ordered by id.
// Parameters: none
MATCH (n:Contact)
RETURN n {.*} AS record
ORDER BY n.id
