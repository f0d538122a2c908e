// Count the records of each kind; the columns are named after netmap's tables.
// Parameters: none
RETURN
  COUNT { MATCH (n:Source) } AS sources,
  COUNT { MATCH (n:City) } AS cities,
  COUNT { MATCH (n:Institution) } AS institutions,
  COUNT { MATCH (n:Initiative) } AS initiatives,
  COUNT { MATCH (n:Contact) } AS contacts,
  COUNT { MATCH (:Institution)-[r:COOPERATES_WITH]->(:Institution) } AS ties,
  COUNT { MATCH (:Institution)-[r:PARTICIPATES_IN]->(:Initiative) } AS participations
