// Return which of the given ids a stored source has.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (n:Source {id: id})
RETURN n.id AS id
