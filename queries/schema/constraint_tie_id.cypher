// Make tie ids unique (and indexed): a tie is a COOPERATES_WITH relationship that the store
// finds and MERGEs by its id. Relationship uniqueness constraints need Neo4j 5.7 or later.
// Parameters: none
CREATE CONSTRAINT netmap_tie_id IF NOT EXISTS
FOR ()-[r:COOPERATES_WITH]-() REQUIRE r.id IS UNIQUE
