// Find the ties made under an initiative (deleting an initiative clears their reference).
// Parameters: none
CREATE INDEX netmap_tie_initiative IF NOT EXISTS
FOR ()-[r:COOPERATES_WITH]-() ON (r.initiative_id)
