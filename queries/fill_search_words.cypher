// Give records written before netmap kept search words theirs (computed by netmap).
// Parameters: $rows (list of maps: label, id, search_text, search_name_text)
UNWIND $rows AS row
MATCH (n:Institution|Contact|City|Initiative {id: row.id})
WHERE row.label IN labels(n)
SET n.search_text = row.search_text, n.search_name_text = row.search_name_text
