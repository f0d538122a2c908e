// The shortest introduction path between two institutions: the chain of recorded ties
// whose two ends know each other (followed in either direction, at most 6) through which
// the first can be introduced to the second. Funding and hosting introduce nobody: pass
// the tie kinds that introduce (taxonomy.toml, `introduces = true`). Returns the path
// (Browser draws it), the names along it and the hops.
// Parameters: $from (string: id of the institution asking), $to (string: id of the one
//   to reach), $kinds (list of strings: tie kinds that introduce, e.g. ['referral',
//   'case_coordination', 'protocol', 'joint_operation', 'mou', 'joint_project',
//   'joint_training', 'meeting', 'information_exchange', 'coordination'])
MATCH (a:Institution {id: $from})
MATCH (b:Institution {id: $to})
WITH a, b
WHERE a <> b
MATCH p = shortestPath((a)-[:COOPERATES_WITH*..6]-(b))
WHERE all(r IN relationships(p) WHERE r.kind IN $kinds)
RETURN p, [n IN nodes(p) | n.name] AS introductions, length(p) AS hops
