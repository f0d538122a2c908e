// List every tie's ends, kind, dates, initiative and evidence (the network's outline), in
// no particular order: sorting a million ties would only slow the overview down.
// Parameters: none
MATCH (:Institution)-[r:COOPERATES_WITH]->(:Institution)
RETURN r {.source_id, .target_id, .kind, .since, .until, .initiative_id, .evidence} AS record
