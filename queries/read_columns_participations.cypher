// Read only the named properties of every one of the participations, ordered by id, as one row
// holding a list of values per record in the order of $columns (a command that needs a few
// fields of a big network reads just those; one list of lists reads several times faster
// through the Python driver than a map per record).
// Every PARTICIPATES_IN runs from an institution to an initiative, so the relationship type
// alone finds them.
// Parameters: $columns (list of strings)
MATCH ()-[r:PARTICIPATES_IN]->()
WITH r
ORDER BY r.id
RETURN collect([column IN $columns | r[column]]) AS rows
