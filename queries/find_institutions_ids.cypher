// Return which of the given ids a stored institution has.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (n:Institution {id: id})
RETURN n.id AS id
