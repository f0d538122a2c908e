// Read the participations in the given initiatives, ordered by id.
// The index hint keeps the plan a seek whatever the planner's statistics say.
// Parameters: $ids (list of strings: initiative ids)
UNWIND $ids AS id
MATCH (:Institution)-[p:PARTICIPATES_IN]->(v:Initiative {id: id})
USING INDEX SEEK v:Initiative(id)
RETURN p {.*} AS record
ORDER BY p.id
