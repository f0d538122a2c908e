// Make institution ids unique (and indexed): the store MERGEs institutions on their id.
// Parameters: none
CREATE CONSTRAINT netmap_institution_id IF NOT EXISTS
FOR (n:Institution) REQUIRE n.id IS UNIQUE
