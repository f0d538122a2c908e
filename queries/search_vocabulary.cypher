// List every distinct word the searched records are found by (search_text), and with
// $personal also the words only a contact's name holds (search_name_text), as one list.
// Parameters: $personal (boolean)
MATCH (n:Institution|Contact|City|Initiative)
WITH split(coalesce(n.search_text, ''), ' ') AS public,
     CASE WHEN $personal THEN split(coalesce(n.search_name_text, ''), ' ') ELSE [] END AS named
UNWIND public + named AS word
WITH DISTINCT word
WHERE word <> ''
RETURN collect(word) AS words
