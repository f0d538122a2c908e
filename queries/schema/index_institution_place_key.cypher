// Link institutions to their city: both carry the same place_key.
// Parameters: none
CREATE INDEX netmap_institution_place_key IF NOT EXISTS
FOR (n:Institution) ON (n.place_key)
