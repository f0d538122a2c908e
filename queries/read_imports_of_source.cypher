// Return the imports of the file with the given name, oldest first.
// Parameters: $source (string: the file's name, e.g. 'commission.xlsx')
MATCH (i:Import {source: $source})
RETURN i {.*} AS import
ORDER BY i.revision
