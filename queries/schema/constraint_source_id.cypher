// Make source ids unique (and indexed): the store MERGEs sources on their id.
// Parameters: none
CREATE CONSTRAINT netmap_source_id IF NOT EXISTS
FOR (n:Source) REQUIRE n.id IS UNIQUE
