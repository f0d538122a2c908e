// Find the searched records that hold one of some words: $query is a Lucene query of
// words netmap folded itself (letters a-z and digits only), joined by OR, and limited to
// search_text when a contact's name must not count. Returns each record's label and id.
// Parameters: $query (string)
CALL db.index.fulltext.queryNodes('netmap_search_words', $query) YIELD node
RETURN labels(node) AS labels, node.id AS id
