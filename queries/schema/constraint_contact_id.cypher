// Make contact ids unique (and indexed): the store MERGEs contacts on their id.
// Parameters: none
CREATE CONSTRAINT netmap_contact_id IF NOT EXISTS
FOR (n:Contact) REQUIRE n.id IS UNIQUE
