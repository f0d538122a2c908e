// Return which of the given ids a stored contact has.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (n:Contact {id: id})
RETURN n.id AS id
