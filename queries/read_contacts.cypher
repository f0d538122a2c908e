// Read the contacts with the given ids (those that exist), with every stored property.
// Parameters: $ids (list of strings)
UNWIND $ids AS id
MATCH (n:Contact {id: id})
RETURN n {.*} AS record
