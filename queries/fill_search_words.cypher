// Give records written before netmap kept search words theirs (computed by netmap), each
// found by the element id list_unsearched gave.
// Parameters: $rows (list of maps: element, search_text, search_name_text)
UNWIND $rows AS row
MATCH (n)
WHERE elementId(n) = row.element
SET n.search_text = row.search_text, n.search_name_text = row.search_name_text
