// Read only the named properties of every one of the initiatives, ordered by id, as one row
// holding a list of values per record in the order of $columns (a command that needs a few
// fields of a big network reads just those; one list of lists reads several times faster
// through the Python driver than a map per record).
// Parameters: $columns (list of strings)
MATCH (n:Initiative)
WITH n
ORDER BY n.id
RETURN collect([column IN $columns | n[column]]) AS rows
