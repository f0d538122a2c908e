// Make account names unique (and indexed): accounts are MERGEd on their name.
// Parameters: none
CREATE CONSTRAINT netmap_account_name IF NOT EXISTS
FOR (a:Account) REQUIRE a.name IS UNIQUE
