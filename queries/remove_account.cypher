// Remove an account; returns how many were removed (0: there was none).
// Parameters: $name (string)
OPTIONAL MATCH (a:Account {name: $name})
DELETE a
RETURN count(a) AS removed
