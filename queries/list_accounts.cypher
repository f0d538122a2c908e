// List the accounts allowed to sign in, by name.
// Parameters: none
MATCH (a:Account)
RETURN a {.*} AS account
ORDER BY a.name
