// Read the sources with the given ids (those that exist), with every stored property.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (n:Source {id: id})
RETURN n {.*} AS record
