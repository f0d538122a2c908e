// Delete the sources with the given ids, and their relationships.
// The store deletes (and logs) dependent records first; DETACH removes what links remain.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (n:Source {id: id})
DETACH DELETE n
