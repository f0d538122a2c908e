// The shortest introduction path between two institutions: the chain of existing ties
// (followed in either direction, at most 6) through which the first can be introduced to
// the second. Returns the path (Browser draws it), the names along it and the hops.
// Parameters: $from (string: id of the institution asking), $to (string: id of the one
//   to reach)
MATCH (a:Institution {id: $from})
MATCH (b:Institution {id: $to})
WITH a, b
WHERE a <> b
MATCH p = shortestPath((a)-[:COOPERATES_WITH*..6]-(b))
RETURN p, [n IN nodes(p) | n.name] AS introductions, length(p) AS hops
