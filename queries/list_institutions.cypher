// List every institution with its stored properties, ordered by id.
// Parameters: none
MATCH (n:Institution)
RETURN n {.*} AS record
ORDER BY n.id
