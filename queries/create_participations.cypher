// Create new participations, one batch of rows (ids the store found absent in this
// transaction): a PARTICIPATES_IN relationship from the institution to the initiative.
// Returns how many rows were written: fewer than sent means an end is missing.
// Parameters: $rows (list of maps: the participation's fields, version, updated_at)
UNWIND $rows AS row
MATCH (i:Institution {id: row.institution_id})
MATCH (v:Initiative {id: row.initiative_id})
CREATE (i)-[p:PARTICIPATES_IN]->(v)
SET p = row
RETURN count(p) AS written
