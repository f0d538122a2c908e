// Return which of the given ids a stored city has.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (n:City {id: id})
RETURN n.id AS id
