// Create or replace an account: role, password hash and e-mail are replaced; the date
// it was created is kept.
// Parameters: $name (string), $role (string), $password_hash (string or null),
//   $email (string or null), $created_at (string: used when the account is new)
MERGE (a:Account {name: $name})
  ON CREATE SET a.created_at = $created_at
SET a.role = $role, a.password_hash = $password_hash, a.email = $email
