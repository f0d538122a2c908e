// Make city ids unique (and indexed): the store MERGEs citys on their id.
// Parameters: none
CREATE CONSTRAINT netmap_city_id IF NOT EXISTS
FOR (n:City) REQUIRE n.id IS UNIQUE
