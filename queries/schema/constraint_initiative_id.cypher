// Make initiative ids unique (and indexed): the store MERGEs initiatives on their id.
// Parameters: none
CREATE CONSTRAINT netmap_initiative_id IF NOT EXISTS
FOR (n:Initiative) REQUIRE n.id IS UNIQUE
