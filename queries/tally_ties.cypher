// Count the ties by the value of one property: each value, how many hold it, and the
// smallest id among them (netmap orders equal counts by it).
// Every COOPERATES_WITH joins two institutions, so the relationship type alone finds them.
// Parameters: $column (string)
MATCH ()-[r:COOPERATES_WITH]->()
RETURN r[$column] AS value, count(*) AS records, min(r.id) AS first
