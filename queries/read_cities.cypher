// Read the cities with the given ids (those that exist), with every stored property.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (n:City {id: id})
RETURN n {.*} AS record
