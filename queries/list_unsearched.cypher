// List the searched records that have no search words yet (written by a netmap before
// it kept them), with their element id and the fields they are found by.
// Parameters: none
MATCH (n:Institution|Contact|City|Initiative)
WHERE n.search_text IS NULL
RETURN elementId(n) AS element, labels(n) AS labels,
       n {.id, .name, .name_local, .acronym, .city, .role} AS record
