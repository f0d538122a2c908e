// Find the searched records by the words of their names (netmap's search): the words are
// folded to ASCII lower case by netmap before they are stored (search_text; a contact's
// name in search_name_text), so the whitespace analyzer only splits them.
// Parameters: none
CREATE FULLTEXT INDEX netmap_search_words IF NOT EXISTS
FOR (n:Institution|Contact|City|Initiative) ON EACH [n.search_text, n.search_name_text]
OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}
