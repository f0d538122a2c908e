// Make participation ids unique (and indexed): a participation is a PARTICIPATES_IN relationship that the store
// finds and MERGEs by its id. Relationship uniqueness constraints need Neo4j 5.7 or later.
// Parameters: none
CREATE CONSTRAINT netmap_participation_id IF NOT EXISTS
FOR ()-[r:PARTICIPATES_IN]-() REQUIRE r.id IS UNIQUE
