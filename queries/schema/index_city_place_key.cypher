// Link cities to their institutions: both carry the same place_key.
// Parameters: none
CREATE INDEX netmap_city_place_key IF NOT EXISTS
FOR (n:City) ON (n.place_key)
