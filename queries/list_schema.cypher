// List the names of the indexes on the server (a uniqueness constraint's index bears the
// constraint's name), so that netmap creates only the ones of queries/schema/ missing.
// Parameters: none
SHOW INDEXES YIELD name
RETURN name
