// Count the sources by the value of one property: each value, how many hold it, and the
// smallest id among them (netmap orders equal counts by it).
// Parameters: $column (string)
MATCH (n:Source)
RETURN n[$column] AS value, count(*) AS records, min(n.id) AS first
