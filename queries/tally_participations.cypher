// Count the participations by the value of one property: each value, how many hold it, and the
// smallest id among them (netmap orders equal counts by it).
// Every PARTICIPATES_IN runs from an institution to an initiative, so the relationship type
// alone finds them.
// Parameters: $column (string)
MATCH ()-[r:PARTICIPATES_IN]->()
RETURN r[$column] AS value, count(*) AS records, min(r.id) AS first
