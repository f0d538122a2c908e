// Return which of the given ids a stored initiative has.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (n:Initiative {id: id})
RETURN n.id AS id
