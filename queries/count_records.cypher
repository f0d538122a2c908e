// Count the records of each kind; the columns are named after netmap's tables.
// Every count comes from Neo4j's count store (no scan): netmap writes COOPERATES_WITH
// only between institutions and PARTICIPATES_IN only from an institution to an initiative,
// so the relationship type alone counts them.
// Parameters: none
RETURN
  COUNT { MATCH (n:Source) } AS sources,
  COUNT { MATCH (n:City) } AS cities,
  COUNT { MATCH (n:Institution) } AS institutions,
  COUNT { MATCH (n:Initiative) } AS initiatives,
  COUNT { MATCH (n:Contact) } AS contacts,
  COUNT { MATCH ()-[r:COOPERATES_WITH]->() } AS ties,
  COUNT { MATCH ()-[r:PARTICIPATES_IN]->() } AS participations
